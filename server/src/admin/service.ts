// What operators may do: list and read players, kick one, watch and end live matches, and
// read the node's status. Authorisation (the `admin` group) is the routes' job.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { IdentityProvider } from '../auth/identity.js';
import { username as usernameSchema } from '../auth/schemas.js';
import { AppError } from '../errors.js';
import type { LiveMatch, RoomHostStats } from '../match/room-host.js';
import type { PlayerItem } from '../players/player.js';
import type { NodeEntry } from '../cluster/registry.js';
import type { AdminRepository, PlayerSummary, StartKey } from './repository.js';

/** The rooms as the admin API sees them (RoomHost on nodes that host matches). */
export interface MatchControl {
  liveMatches(): LiveMatch[];
  matchOf(username: string): string | undefined;
  endMatch(matchId: string): Promise<boolean>;
  stats(): Promise<RoomHostStats>;
}

/** One live match as GET /api/admin/matches shows it. */
export interface MatchView {
  matchId: string;
  /** The process that hosts it. */
  nodeId: string;
  startedAt: string | null;
  tick: number | null;
  players: { username: string; slot: number; rttMs: number | null }[];
}

/** The admin operations that reach every process of the platform (server/src/cluster). */
export interface ClusterAdmin {
  /** One entry per live process. */
  nodes(): Promise<NodeEntry[]>;
  matches(): Promise<MatchView[]>;
  /** Ends the match wherever it runs; false if no process runs it. */
  endMatch(matchId: string): Promise<boolean>;
  matchOf(username: string): Promise<string | undefined>;
  /** Ends the player's match wherever it runs; its id, or null. */
  endMatchOf(username: string): Promise<string | null>;
  /** Cancels the player's waiting ticket wherever it is held. */
  cancelWaiting(username: string): Promise<boolean>;
}

/** The live matches of this process's rooms. */
export async function localMatches(rooms: MatchControl, nodeId: string): Promise<MatchView[]> {
  const live = rooms.liveMatches();
  const { rtt } = await rooms.stats();
  return live.map((m) => ({
    matchId: m.matchId,
    nodeId,
    startedAt: m.startedAt === null ? null : new Date(m.startedAt).toISOString(),
    tick: m.tick,
    players: m.players.map((p) => ({
      username: p.username,
      slot: p.slot,
      rttMs: rtt.find((r) => r.matchId === m.matchId && r.userId === p.userId)?.rttMs ?? null,
    })),
  }));
}

export interface PlayerStore {
  get(username: string): Promise<PlayerItem | undefined>;
  endAnySession(username: string): Promise<boolean>;
}

export type ActiveFilter = 'true' | 'false' | undefined;

export interface KickResult {
  username: string;
  /** Whether a live session was ended (its tokens are refused from now on). */
  wasOnline: boolean;
  /** Whether a waiting matchmaking ticket was cancelled. */
  ticketCancelled: boolean;
  /** The match ended for the kick (the opponent is told), or null. */
  matchEnded: string | null;
}

// A cursor is opaque to clients: the listing it belongs to and DynamoDB's start key, whose
// shape is checked so that a tampered cursor is a 400, never a DynamoDB error.
// Numbers and names in the ranges the table really holds: DynamoDB refuses a number past
// 38 digits (1e200) with an error of its own, which must never reach the client as a 500.
const tableKey = z.strictObject({ username: usernameSchema });
const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const cursorSchema = z.discriminatedUnion('listing', [
  z.object({ listing: z.literal('all'), key: tableKey }),
  z.object({ listing: z.literal('offline'), key: tableKey }),
  z.object({
    listing: z.literal('online'),
    key: z.strictObject({
      username: usernameSchema,
      online: z.literal(1),
      leaseExpiresAt: epochMs,
    }),
  }),
]);
type Cursor = z.infer<typeof cursorSchema>;

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decode(cursor: string, listing: Cursor['listing']): StartKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    parsed = undefined;
  }
  const out = cursorSchema.safeParse(parsed);
  if (!out.success || out.data.listing !== listing)
    throw new AppError('invalid_input', 'cursor: not a cursor of this listing');
  return out.data.key;
}

export class AdminService {
  constructor(
    private readonly d: {
      directory: AdminRepository;
      players: PlayerStore;
      idp: IdentityProvider;
      rooms?: MatchControl;
      /** Every process of the platform; present where matches run. */
      cluster?: ClusterAdmin;
      /** Cancels a player's waiting ticket; present where matchmaking runs. */
      cancelWaiting?: (username: string) => Promise<boolean>;
      queueLength?: () => Promise<number>;
      logger: Logger;
      now: () => number;
    },
  ) {}

  async listPlayers(o: {
    active?: ActiveFilter;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ players: PlayerSummary[]; cursor: string | null }> {
    const listing = o.active === 'true' ? 'online' : o.active === 'false' ? 'offline' : 'all';
    const start = o.cursor === undefined ? undefined : decode(o.cursor, listing);
    const now = this.d.now();
    const page =
      listing === 'online'
        ? await this.d.directory.online(now, o.limit, start)
        : await this.d.directory.scan(o.limit, listing === 'offline' ? now : undefined, start);
    const players = page.players.map((p) => ({ ...p, active: this.live(p) }));
    return {
      players,
      cursor: page.next ? encode({ listing, key: page.next } as Cursor) : null,
    };
  }

  /** The player's whole record, minus the hashes of their tokens. */
  async player(username: string) {
    const item = await this.d.players.get(username);
    if (!item) throw new AppError('not_found', 'No such player.');
    const { sessionRefreshHash: _refresh, sessionTokenHash: _token, ...record } = item;
    const liveMatch = this.d.cluster
      ? await this.d.cluster.matchOf(username)
      : this.d.rooms?.matchOf(username);
    return { ...record, liveMatch: liveMatch ?? null };
  }

  /**
   * Ends the player's session (their tokens are refused from the next request), revokes their
   * refresh tokens at Cognito (a no-op on the emulator, where the session end is what
   * revokes), cancels their waiting ticket, and ends their live match, which tells the opponent.
   */
  async kick(username: string): Promise<KickResult> {
    const item = await this.d.players.get(username);
    if (!item) throw new AppError('not_found', 'No such player.');
    const wasOnline = this.live(item);
    await this.d.players.endAnySession(username);
    await this.d.idp.signOutEverywhere(username).catch((err: unknown) => {
      this.d.logger.warn({ err, username }, 'kick: provider sign-out failed; session ended anyway');
    });
    const ticketCancelled = this.d.cluster
      ? await this.d.cluster.cancelWaiting(username)
      : ((await this.d.cancelWaiting?.(username)) ?? false);
    const matchEnded = this.d.cluster
      ? await this.d.cluster.endMatchOf(username)
      : await this.endLocalMatchOf(username);
    this.d.logger.info({ username, wasOnline, ticketCancelled, matchEnded }, 'player kicked');
    return { username, wasOnline, ticketCancelled, matchEnded };
  }

  private async endLocalMatchOf(username: string): Promise<string | null> {
    const matchId = this.d.rooms?.matchOf(username);
    const ended = matchId !== undefined && (await this.d.rooms?.endMatch(matchId));
    return ended ? (matchId ?? null) : null;
  }

  /** Every live match of the platform (each process asked). */
  async matches(): Promise<MatchView[]> {
    if (this.d.cluster) return this.d.cluster.matches();
    return localMatches(this.rooms(), 'local');
  }

  async endMatch(matchId: string): Promise<void> {
    const ended = this.d.cluster
      ? await this.d.cluster.endMatch(matchId)
      : await this.rooms().endMatch(matchId);
    if (!ended) throw new AppError('not_found', 'No such match.');
  }

  async status() {
    const [playersOnline, queueLength, rooms, nodes] = await Promise.all([
      this.d.directory.countOnline(this.d.now()),
      this.d.queueLength?.() ?? null,
      this.d.rooms?.stats() ?? null,
      this.d.cluster?.nodes() ?? [],
    ]);
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    // `nodes`: one entry per live process of the platform; the fields after it are the
    // answering process's own (its rooms, its memory), or the platform's (players, queue).
    return {
      nodes: [...nodes].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
      playersOnline,
      queueLength,
      matches: rooms && { live: rooms.matches, players: rooms.players },
      tickMs: rooms?.tickMs ?? null,
      rttMs: rooms?.rttMs ?? null,
      datagramsDropped: rooms && {
        malformed: rooms.malformedDropped,
        inputsDropped: rooms.inputsDropped,
        staleInputs: rooms.staleInputs,
      },
      memory: { rss, heapTotal, heapUsed, external, arrayBuffers },
      uptimeSec: process.uptime(),
    };
  }

  private rooms(): MatchControl {
    if (!this.d.rooms) throw new AppError('not_found', 'This node hosts no matches.');
    return this.d.rooms;
  }

  private live(p: { leaseExpiresAt?: number | undefined }): boolean {
    return p.leaseExpiresAt !== undefined && p.leaseExpiresAt >= this.d.now();
  }
}
