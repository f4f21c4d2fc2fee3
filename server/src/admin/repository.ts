// The admin listing of players in DynamoDB. Online players come from the sparse online-index
// (a Query); everyone else from a paged Scan, each request reading at most one page of items:
// an operator's listing is rare and never on a player's path (see docs/architecture.md).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PlayerItem } from '../players/player.js';
import { ONLINE_INDEX } from '../players/table.js';

export type StartKey = Record<string, unknown>;

export type PlayerSummary = Pick<
  PlayerItem,
  | 'username'
  | 'active'
  | 'createdAt'
  | 'timePlayed'
  | 'wins'
  | 'losses'
  | 'draws'
  | 'matchesPlayed'
  | 'bestScore'
  | 'leaseExpiresAt'
>;

export interface Listing {
  players: PlayerSummary[];
  next: StartKey | undefined;
}

const SUMMARY_FIELDS = [
  'username',
  'active',
  'createdAt',
  'timePlayed',
  'wins',
  'losses',
  'draws',
  'matchesPlayed',
  'bestScore',
  'leaseExpiresAt',
] as const;
const projection = {
  ProjectionExpression: SUMMARY_FIELDS.map((f) => `#${f}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(SUMMARY_FIELDS.map((f) => [`#${f}`, f])),
};

// A filtered Scan may return few items per page; a request reads at most this many pages.
const MAX_SCAN_CALLS = 5;

export class AdminRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  /** Players whose session is live at `now`, in lease order. */
  async online(now: number, limit: number, start?: StartKey): Promise<Listing> {
    const page = await this.doc.send(
      new QueryCommand({
        ...this.onlineQuery(now),
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const names = (page.Items ?? []).map((i) => String((i as { username: unknown }).username));
    return { players: await this.summaries(names), next: page.LastEvaluatedKey };
  }

  /** How many players have a live session at `now`. */
  async countOnline(now: number): Promise<number> {
    let n = 0;
    let start: StartKey | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ ...this.onlineQuery(now), Select: 'COUNT', ExclusiveStartKey: start }),
      );
      n += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return n;
  }

  /**
   * One page of every player (`inactive`: only those without a live session), in table order.
   * Each call evaluates at most `limit` items more than it returns, so a page never overshoots
   * and its cursor is exact.
   */
  async scan(limit: number, inactiveAt?: number, start?: StartKey): Promise<Listing> {
    const players: PlayerSummary[] = [];
    let next = start;
    for (let calls = 0; calls < MAX_SCAN_CALLS && players.length < limit; calls++) {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          ...projection,
          ...(inactiveAt === undefined
            ? {}
            : {
                FilterExpression: 'attribute_not_exists(#leaseExpiresAt) OR #leaseExpiresAt < :now',
                ExpressionAttributeValues: { ':now': inactiveAt },
              }),
          Limit: limit - players.length,
          ExclusiveStartKey: next,
        }),
      );
      players.push(...((page.Items ?? []) as PlayerSummary[]));
      next = page.LastEvaluatedKey;
      if (!next) break;
    }
    return { players, next };
  }

  private onlineQuery(now: number) {
    return {
      TableName: this.table,
      IndexName: ONLINE_INDEX,
      KeyConditionExpression: '#online = :one AND leaseExpiresAt >= :now',
      ExpressionAttributeNames: { '#online': 'online' },
      ExpressionAttributeValues: { ':one': 1, ':now': now },
    };
  }

  /** The items of `names`, in that order (BatchGet, retrying what it leaves unprocessed). */
  private async summaries(names: string[]): Promise<PlayerSummary[]> {
    const found = new Map<string, PlayerSummary>();
    let keys = names.map((username) => ({ username }));
    while (keys.length) {
      const out = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ...projection } } }),
      );
      for (const item of (out.Responses?.[this.table] ?? []) as PlayerSummary[])
        found.set(item.username, item);
      keys = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as { username: string }[];
    }
    return names.flatMap((n) => found.get(n) ?? []);
  }
}
