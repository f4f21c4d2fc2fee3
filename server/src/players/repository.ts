// Players in DynamoDB. Every rule about sessions is a conditional write, so it holds across
// many server nodes and under concurrent requests, and never depends on DynamoDB TTL.
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ONLINE_INDEX } from './table.js';
import { STAT_FIELDS, zeroStats, type PlayerItem } from './player.js';

/** One player's part of a finished match. */
export interface PlayerMatchResult {
  seconds: number;
  /** `none`: the match was interrupted (server stop, admin): time and shots count, no result. */
  outcome: 'win' | 'loss' | 'draw' | 'none';
  score: number;
  shotsFired: number;
  hits: number;
  asteroidsDestroyed: number;
}

export interface Session {
  jti: string;
  /** SHA-256 of the whole access token the session accepts. */
  tokenHash: string;
  refreshHash: string;
}

/** The access token a session moves to on refresh. */
export type RotatedToken = Pick<Session, 'jti' | 'tokenHash'>;

const SESSION_FIELDS =
  '#online, leaseExpiresAt, sessionJti, sessionTokenHash, sessionRefreshHash, playState, replacedJti, replacedRefreshHash';

/** Which tokens of a session that a login took over are asked about (docs/api.md, Sessions). */
export interface ReplacedProbe {
  jti?: string;
  refreshHash?: string;
}

async function conditional<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return null;
    throw e;
  }
}

export interface PlayerRepositoryOptions {
  /**
   * Awaited after every write that changes a player's session (or the item a session check
   * hands out): the session caches of every node drop their entry (auth/session-cache.ts).
   */
  onSessionChange?: (username: string) => Promise<void>;
}

export class PlayerRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly o: PlayerRepositoryOptions = {},
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /**
   * Every write that changes a session goes through here, so no caller can forget to
   * invalidate the session caches. A refused condition changed nothing; any other failure
   * may have been applied, so it invalidates too.
   */
  private async sessionWrite<T>(username: string, write: Promise<T>): Promise<T | null> {
    let out: T | null;
    try {
      out = await conditional(write);
    } catch (e) {
      await this.o.onSessionChange?.(username);
      throw e;
    }
    if (out !== null) await this.o.onSessionChange?.(username);
    return out;
  }

  /** Creates the mirror of a new account; false when it already exists. */
  async create(username: string, now: number): Promise<boolean> {
    const item: PlayerItem = {
      username,
      active: false,
      timePlayed: 0,
      createdAt: new Date(now).toISOString(),
      ...zeroStats(),
    };
    const put = this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(username)',
      }),
    );
    return (await conditional(put)) !== null;
  }

  async get(username: string): Promise<PlayerItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { username }, ConsistentRead: true }),
    );
    return out.Item as PlayerItem | undefined;
  }

  /**
   * Takes the single-login lease: succeeds if no live lease exists, or if the live session is
   * idle (its `playState` set of tickets is empty: not queued, not in a match), which this
   * login then takes over. The write is one conditional update, so a ticket queued at the same
   * moment (markQueued, conditioned on the old session) and this takeover cannot both succeed.
   * The old session's access token id and refresh hash are kept, so its tab can be told
   * `session_replaced`. Busy belongs to a live session: a lapsed one's `playState` (its client
   * died mid-match) is dropped, so the new session starts idle. It also creates a missing
   * mirror (a sign-up cut off half-way).
   */
  async acquireLease(username: string, s: Session, now: number, leaseMs: number): Promise<boolean> {
    const defaults = ['timePlayed', ...STAT_FIELDS].map((f) => `${f} = if_not_exists(${f}, :zero)`);
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: `SET active = :true, #online = :one, leaseExpiresAt = :exp, sessionJti = :jti, sessionTokenHash = :token, sessionRefreshHash = :hash, replacedJti = if_not_exists(sessionJti, :none), replacedRefreshHash = if_not_exists(sessionRefreshHash, :none), createdAt = if_not_exists(createdAt, :iso), ${defaults.join(', ')} REMOVE playState`,
        ConditionExpression:
          'attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt < :now OR attribute_not_exists(playState)',
        ExpressionAttributeNames: { '#online': 'online' },
        ExpressionAttributeValues: {
          ':true': true,
          ':one': 1,
          ':zero': 0,
          ':exp': now + leaseMs,
          ':now': now,
          ':jti': s.jti,
          ':token': s.tokenHash,
          ':hash': s.refreshHash,
          ':iso': new Date(now).toISOString(),
          ':none': '-',
        },
      }),
    );
    return (await this.sessionWrite(username, update)) !== null;
  }

  /**
   * Whether a token of an ended session belonged to one that a later login took over (rather
   * than one that was logged out, kicked or lapsed): a consistent read, on refusals only.
   */
  async wasReplaced(username: string, probe: ReplacedProbe): Promise<boolean> {
    const item = await this.get(username);
    if (!item?.sessionJti) return false;
    return (
      (probe.jti !== undefined && item.replacedJti === probe.jti) ||
      (probe.refreshHash !== undefined && item.replacedRefreshHash === probe.refreshHash)
    );
  }

  /**
   * Marks the session busy with a matchmaking ticket (added to the `playState` set), only if
   * `jti` is still the live session's: a session taken over cannot queue any more.
   */
  async markQueued(username: string, jti: string, ticketId: string, now: number): Promise<boolean> {
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: 'ADD playState :ticket',
        ConditionExpression: 'sessionJti = :jti AND leaseExpiresAt >= :now',
        ExpressionAttributeValues: { ':ticket': new Set([ticketId]), ':jti': jti, ':now': now },
      }),
    );
    return (await conditional(update)) !== null;
  }

  /**
   * The ticket no longer keeps the session busy (cancelled, failed, refused); without a ticket
   * id, nothing does (the player's match is over). DynamoDB drops an emptied set.
   */
  async markIdle(username: string, ticketId?: string): Promise<void> {
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: ticketId ? 'DELETE playState :ticket' : 'REMOVE playState',
        ConditionExpression: 'attribute_exists(playState)',
        ...(ticketId ? { ExpressionAttributeValues: { ':ticket': new Set([ticketId]) } } : {}),
      }),
    );
    await conditional(update);
  }

  /**
   * Checks that the token (its jti and the hash of all of it) is the live session's and extends
   * the lease; null when it is not. Not a session change: the same token stays the session's.
   * Called at most once per quarter lease per session while the session cache is live.
   */
  async renewLease(
    username: string,
    token: RotatedToken,
    now: number,
    leaseMs: number,
  ): Promise<PlayerItem | null> {
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: 'SET leaseExpiresAt = :exp',
        ConditionExpression:
          'sessionJti = :jti AND sessionTokenHash = :token AND leaseExpiresAt >= :now',
        ExpressionAttributeValues: {
          ':exp': now + leaseMs,
          ':now': now,
          ':jti': token.jti,
          ':token': token.tokenHash,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const out = await conditional(update);
    return (out?.Attributes as PlayerItem | undefined) ?? null;
  }

  /** Moves the live session to a refreshed access token; only the session's refresh token may. */
  async rotateSession(
    username: string,
    refreshHash: string,
    token: RotatedToken,
    now: number,
    leaseMs: number,
  ): Promise<boolean> {
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: 'SET sessionJti = :jti, sessionTokenHash = :token, leaseExpiresAt = :exp',
        ConditionExpression: 'sessionRefreshHash = :hash AND leaseExpiresAt >= :now',
        ExpressionAttributeValues: {
          ':jti': token.jti,
          ':token': token.tokenHash,
          ':exp': now + leaseMs,
          ':now': now,
          ':hash': refreshHash,
        },
      }),
    );
    return (await this.sessionWrite(username, update)) !== null;
  }

  /** Ends the session that owns `jti`; every token of it is refused from then on. */
  endSession(username: string, jti: string): Promise<boolean> {
    return this.clearSession(username, 'sessionJti = :jti', { ':jti': jti });
  }

  /** Ends whatever session the player has (kick, server stop). */
  endAnySession(username: string): Promise<boolean> {
    return this.clearSession(username, 'attribute_exists(username)', {});
  }

  /** Sets active=false and removes the session fields, if `condition` holds. */
  private async clearSession(username: string, condition: string, values: Record<string, unknown>) {
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: `SET active = :false REMOVE ${SESSION_FIELDS}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#online': 'online' },
        ExpressionAttributeValues: { ':false': false, ...values },
      }),
    );
    return (await this.sessionWrite(username, update)) !== null;
  }

  /** Clears every session whose lease has passed; returns the usernames it cleared. */
  async reapExpired(now: number): Promise<string[]> {
    const cleared: string[] = [];
    for await (const username of this.online('AND leaseExpiresAt < :now', { ':now': now })) {
      if (await this.clearExpired(username, now)) cleared.push(username);
    }
    return cleared;
  }

  /** Usernames on the sparse online-index (sessions live, or expired and not yet reaped). */
  private async *online(extra = '', values: Record<string, unknown> = {}): AsyncGenerator<string> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: ONLINE_INDEX,
          KeyConditionExpression: `#online = :one ${extra}`,
          ExpressionAttributeNames: { '#online': 'online' },
          ExpressionAttributeValues: { ':one': 1, ...values },
          ExclusiveStartKey: startKey,
          Limit: 100,
        }),
      );
      for (const item of page.Items ?? []) yield (item as Pick<PlayerItem, 'username'>).username;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  private clearExpired(username: string, now: number): Promise<boolean> {
    return this.clearSession(username, 'leaseExpiresAt < :now', { ':now': now });
  }

  /**
   * Adds one finished match to the player's record, once: a player is in one match at a time,
   * so remembering the last counted match id refuses any retry of it, with a bounded item.
   * Returns the updated item, or null when this match was already counted.
   */
  async recordMatch(
    username: string,
    matchId: string,
    r: PlayerMatchResult,
  ): Promise<PlayerItem | null> {
    const outcome = { win: 'wins', loss: 'losses', draw: 'draws', none: undefined }[r.outcome];
    const decided = outcome ? `, matchesPlayed :one, ${outcome} :one` : '';
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: `SET lastCountedMatch = :id ADD timePlayed :s, shotsFired :shots, hits :hits, asteroidsDestroyed :rocks${decided}`,
        ConditionExpression:
          'attribute_exists(username) AND (attribute_not_exists(lastCountedMatch) OR lastCountedMatch <> :id)',
        ExpressionAttributeValues: {
          ':id': matchId,
          ':s': r.seconds,
          ':shots': r.shotsFired,
          ':hits': r.hits,
          ':rocks': r.asteroidsDestroyed,
          ...(outcome ? { ':one': 1 } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    // The stats changed: a cached session check must not keep handing out the old item.
    const out = await this.sessionWrite(username, update);
    const item = (out?.Attributes as PlayerItem | undefined) ?? null;
    if (item && r.score > (item.bestScore ?? 0))
      return (await this.raiseBestScore(username, r.score)) ?? item;
    return item;
  }

  /** A maximum, so a retry can only write the same value. */
  private async raiseBestScore(username: string, score: number): Promise<PlayerItem | null> {
    const update = this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { username },
        UpdateExpression: 'SET bestScore = :score',
        ConditionExpression: 'attribute_not_exists(bestScore) OR bestScore < :score',
        ExpressionAttributeValues: { ':score': score },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (
      ((await this.sessionWrite(username, update))?.Attributes as PlayerItem | undefined) ?? null
    );
  }

  /** Usernames with a session (live or expired but not yet reaped). */
  async onlineUsernames(): Promise<string[]> {
    const names: string[] = [];
    for await (const username of this.online()) names.push(username);
    return names;
  }

  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.table }));
  }
}
