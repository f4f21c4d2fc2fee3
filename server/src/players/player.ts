// The player item mirrored in DynamoDB, and the views of it that leave the server.

export const STAT_FIELDS = [
  'shotsFired',
  'hits',
  'asteroidsDestroyed',
  'wins',
  'losses',
  'draws',
  'matchesPlayed',
  'bestScore',
] as const;

export type StatField = (typeof STAT_FIELDS)[number];
export type Stats = Record<StatField, number>;

export interface PlayerItem extends Stats {
  username: string;
  /** True exactly while a live session (lease) exists. */
  active: boolean;
  /** Seconds played in matches, fractional. */
  timePlayed: number;
  createdAt: string;
  /** Epoch ms; the session is live while this is not in the past. */
  leaseExpiresAt?: number;
  /** jti of the one access token the live session accepts. */
  sessionJti?: string;
  /** SHA-256 of the session's whole access token: a token with the same jti but other claims is refused. */
  sessionTokenHash?: string;
  /** SHA-256 of the session's refresh token: only that token may rotate the session. */
  sessionRefreshHash?: string;
  /**
   * Ids of the matchmaking tickets that keep the session busy (queued, or matched and in a
   * match); absent when idle. A login takes over only an idle session.
   */
  playState?: Set<string>;
  /** jti of the access token of the session a login last took over: told `session_replaced`. */
  replacedJti?: string;
  /** SHA-256 of that session's refresh token: its refresh is told `session_replaced`. */
  replacedRefreshHash?: string;
  /** 1 while a session exists: the key of the sparse online-index. */
  online?: 1;
  /** Id of the last match whose time was added: guards the ADD against a retried write. */
  lastCountedMatch?: string;
}

export type PlayerView = Pick<PlayerItem, 'username' | 'active' | 'timePlayed' | 'createdAt'> &
  Stats;

export const zeroStats = (): Stats => Object.fromEntries(STAT_FIELDS.map((f) => [f, 0])) as Stats;

/** What the player sees of their own record: never the session or lease fields. */
export function ownView(item: PlayerItem): PlayerView {
  const stats = Object.fromEntries(STAT_FIELDS.map((f) => [f, item[f] ?? 0])) as Stats;
  return {
    username: item.username,
    active: item.active,
    timePlayed: item.timePlayed,
    createdAt: item.createdAt,
    ...stats,
  };
}

export type PublicProfile = Pick<PlayerItem, 'username' | 'timePlayed' | 'createdAt'> & Stats;

/**
 * What anyone may see of a player: name, sign-up date, time played and stats. Never whether
 * they are online, nor any session, lease or bookkeeping field (built field by field, so a
 * field added to the item later stays private until it is added here).
 */
export function publicView(item: PlayerItem): PublicProfile {
  const stats = Object.fromEntries(STAT_FIELDS.map((f) => [f, item[f] ?? 0])) as Stats;
  return {
    username: item.username,
    createdAt: item.createdAt,
    timePlayed: item.timePlayed ?? 0,
    ...stats,
  };
}
