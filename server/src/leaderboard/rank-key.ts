// The leaderboard order as one string: a player's `rankKey` sorts (in byte order, as DynamoDB
// sorts a string sort key) exactly as the leaderboard does: wins desc, best score desc, time
// played desc, then username asc. Each number is stored inverted and zero-padded, so that
// "more" sorts first; the username last makes every key unique, so ties break the same way
// on every read. The key also carries what a leaderboard row shows, so the index can be
// keys-only and a page needs no read of the player items.

/** Write sharding of the index (see docs/leaderboard.md). Changing it means re-keying every player. */
export const LEADERBOARD_SHARDS = 4;

const WINS_DIGITS = 9;
const SCORE_DIGITS = 12;
const TIME_MS_DIGITS = 13;

export interface RankedStats {
  username: string;
  wins: number;
  bestScore: number;
  /** Seconds; the key keeps milliseconds. */
  timePlayed: number;
}

const ceiling = (digits: number) => 10 ** digits - 1;

function inverted(n: number, digits: number): string {
  const max = ceiling(digits);
  const v = Number.isFinite(n) ? Math.min(max, Math.max(0, Math.floor(n))) : 0;
  return String(max - v).padStart(digits, '0');
}

export function rankKey(s: RankedStats): string {
  return [
    inverted(s.wins, WINS_DIGITS),
    inverted(s.bestScore, SCORE_DIGITS),
    inverted(Math.round(s.timePlayed * 1000), TIME_MS_DIGITS),
    s.username,
  ].join('.');
}

/** The row a key stands for (time played to the millisecond). */
export function parseRankKey(key: string): RankedStats {
  const [wins, score, time, ...name] = key.split('.');
  const back = (v: string | undefined, digits: number) => ceiling(digits) - Number(v);
  return {
    username: name.join('.'),
    wins: back(wins, WINS_DIGITS),
    bestScore: back(score, SCORE_DIGITS),
    timePlayed: back(time, TIME_MS_DIGITS) / 1000,
  };
}

/** A stable shard for a username (FNV-1a), spreading index writes over partitions. */
export function shardOf(username: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < username.length; i++) {
    h ^= username.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % LEADERBOARD_SHARDS;
}
