import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LEADERBOARD_SHARDS,
  parseRankKey,
  rankKey,
  shardOf,
  type RankedStats,
} from './rank-key.js';

const player = fc.record({
  username: fc.stringMatching(/^[A-Za-z0-9_-]{3,20}$/),
  wins: fc.nat(100_000),
  bestScore: fc.nat(10_000_000),
  timePlayed: fc.nat(10_000_000).map((ms) => ms / 1000),
});

/** The leaderboard order, written the obvious way. */
function expected(a: RankedStats, b: RankedStats): number {
  return (
    b.wins - a.wins ||
    b.bestScore - a.bestScore ||
    b.timePlayed - a.timePlayed ||
    (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)
  );
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('rankKey', () => {
  it('sorts in byte order exactly as the leaderboard orders players', () => {
    fc.assert(
      fc.property(player, player, (a, b) => {
        expect(Math.sign(byteOrder(rankKey(a), rankKey(b)))).toBe(Math.sign(expected(a, b)));
      }),
    );
  });

  it('gives back the row it was made from', () => {
    fc.assert(
      fc.property(player, (p) => {
        expect(parseRankKey(rankKey(p))).toEqual(p);
      }),
    );
  });

  it('clamps values outside its range instead of breaking the order', () => {
    const key = rankKey({ username: 'abc', wins: -5, bestScore: 1e20, timePlayed: NaN });
    expect(parseRankKey(key)).toEqual({
      username: 'abc',
      wins: 0,
      bestScore: 999_999_999_999,
      timePlayed: 0,
    });
  });
});

describe('shardOf', () => {
  it('is stable and in range', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const s = shardOf(name);
        expect(s).toBe(shardOf(name));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(LEADERBOARD_SHARDS);
      }),
    );
  });
});
