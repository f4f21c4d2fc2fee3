// Match results against the real DynamoDB emulator: each written once, whatever the retries.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.js';
import { PlayerRepository } from '../../server/src/players/repository.js';
import type { MatchEndedEvent } from '../../server/src/match/worker-protocol.js';
import { MatchRecorder } from '../../server/src/results/recorder.js';
import { MatchRepository } from '../../server/src/results/repository.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
let players: PlayerRepository;
let matches: MatchRepository;
let recorder: MatchRecorder;
const updated: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  players = new PlayerRepository(stack.backends.dynamo, 'players');
  matches = new MatchRepository(stack.backends.dynamo, 'matches');
  recorder = new MatchRecorder({
    players,
    matches,
    logger: createLogger('silent'),
    onPlayerUpdated: async (item) => void updated.push(item.username),
  });
});
afterAll(() => stack.close());

async function pair() {
  const names = [uniqueName('r'), uniqueName('r')] as const;
  for (const n of names) await players.create(n, Date.now());
  return names;
}

function match(
  names: readonly [string, string],
  over: Partial<MatchEndedEvent> = {},
): MatchEndedEvent {
  return {
    matchId: randomUUID(),
    reason: 'ended',
    durationSec: 61.25,
    winnerSlot: 0,
    players: [
      { userId: `u-${names[0]}`, username: names[0], slot: 0 },
      { userId: `u-${names[1]}`, username: names[1], slot: 1 },
    ],
    stats: [
      { score: 1200, shotsFired: 40, hits: 3, asteroidsDestroyed: 11 },
      { score: 700, shotsFired: 55, hits: 1, asteroidsDestroyed: 6 },
    ],
    ...over,
  };
}

describe('MatchRecorder', () => {
  it('adds a match to both players once, even when recorded three times', async () => {
    const names = await pair();
    const m = match(names);
    await Promise.all([recorder.record(m), recorder.record(m), recorder.record(m)]);
    const [a, b] = await Promise.all(names.map((n) => players.get(n)));
    expect(a).toMatchObject({
      timePlayed: 61.25,
      shotsFired: 40,
      hits: 3,
      asteroidsDestroyed: 11,
      wins: 1,
      losses: 0,
      draws: 0,
      matchesPlayed: 1,
      bestScore: 1200,
    });
    expect(b).toMatchObject({
      timePlayed: 61.25,
      shotsFired: 55,
      hits: 1,
      asteroidsDestroyed: 6,
      wins: 0,
      losses: 1,
      draws: 0,
      matchesPlayed: 1,
      bestScore: 700,
    });
    expect(await matches.get(m.matchId)).toMatchObject({
      matchId: m.matchId,
      winner: names[0],
      durationSec: 61.25,
      players: [
        { username: names[0], score: 1200 },
        { username: names[1], score: 700 },
      ],
    });
    expect(updated.filter((n) => n === names[0])).toHaveLength(1);
  });

  it('sums matches, keeps the best score a maximum, and counts a draw', async () => {
    const names = await pair();
    await recorder.record(match(names));
    await recorder.record(
      match(names, {
        winnerSlot: -1,
        stats: [
          { score: 300, shotsFired: 10, hits: 0, asteroidsDestroyed: 2 },
          { score: 900, shotsFired: 12, hits: 2, asteroidsDestroyed: 4 },
        ],
      }),
    );
    const [a, b] = await Promise.all(names.map((n) => players.get(n)));
    expect(a).toMatchObject({
      timePlayed: 122.5,
      shotsFired: 50,
      wins: 1,
      draws: 1,
      matchesPlayed: 2,
      bestScore: 1200,
    });
    expect(b).toMatchObject({
      timePlayed: 122.5,
      shotsFired: 67,
      losses: 1,
      draws: 1,
      matchesPlayed: 2,
      bestScore: 900,
    });
  });

  it('an interrupted match counts time and shots but no result', async () => {
    const names = await pair();
    await recorder.record(match(names, { reason: 'server_stopping', winnerSlot: -1 }));
    const a = await players.get(names[0]);
    expect(a).toMatchObject({
      timePlayed: 61.25,
      shotsFired: 40,
      wins: 0,
      losses: 0,
      draws: 0,
      matchesPlayed: 0,
    });
  });

  it('a match that never started is no result for anyone', async () => {
    const names = await pair();
    const m = match(names, { durationSec: 0, reason: 'connect_timeout' });
    await recorder.record(m);
    expect(await players.get(names[0])).toMatchObject({ timePlayed: 0, matchesPlayed: 0 });
    expect(await matches.get(m.matchId)).toBeUndefined();
  });
});
