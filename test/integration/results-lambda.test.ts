// The Lambda consumer against the real DynamoDB emulator, fed SQS-shaped events: the same
// ResultConsumer as the local queue, failures reported per record (batchItemFailures).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.js';
import { PlayerRepository } from '../../server/src/players/repository.js';
import { ResultConsumer } from '../../server/src/results/consumer.js';
import { createHandler, type SqsEvent } from '../../server/src/results/lambda.js';
import { MatchRepository } from '../../server/src/results/repository.js';
import type { MatchResult } from '../../server/src/results/result.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
let players: PlayerRepository;
let handler: ReturnType<typeof createHandler>;

beforeAll(async () => {
  stack = await startLocalStack();
  players = new PlayerRepository(stack.backends.dynamo, 'players');
  const logger = createLogger('silent');
  const matches = new MatchRepository(stack.backends.dynamo, 'matches');
  handler = createHandler(new ResultConsumer({ players, matches, logger }), logger);
});
afterAll(() => stack.close());

async function resultFor(create = true): Promise<MatchResult> {
  const names = [uniqueName('l'), uniqueName('l')];
  if (create) for (const n of names) await players.create(n, Date.now());
  return {
    v: 1,
    matchId: randomUUID(),
    reason: 'ended',
    durationSec: 42.5,
    winnerSlot: 1,
    endedAt: new Date().toISOString(),
    players: names.map((username, slot) => ({ userId: `u-${username}`, username, slot })),
    stats: [
      { score: 100, shotsFired: 20, hits: 1, asteroidsDestroyed: 4 },
      { score: 900, shotsFired: 31, hits: 5, asteroidsDestroyed: 9 },
    ],
  };
}

let seq = 0;
function record(body: string, receives = 1) {
  return {
    messageId: `m-${++seq}`,
    receiptHandle: `rh-${seq}`,
    body,
    attributes: { ApproximateReceiveCount: String(receives) },
    eventSource: 'aws:sqs',
  };
}

describe('the results Lambda', () => {
  it('applies good records and reports only the failed ones as batchItemFailures', async () => {
    const good = await resultFor();
    const missing = await resultFor(false);
    const event: SqsEvent = {
      Records: [
        record(JSON.stringify(good)),
        record('{"not":"a result"'),
        record(JSON.stringify(missing)),
        record(JSON.stringify({ ...good, v: 2 })),
      ],
    };
    const [, broken, noPlayer, future] = event.Records;
    const out = await handler(event);
    expect(out.batchItemFailures).toEqual([
      { itemIdentifier: broken?.messageId },
      { itemIdentifier: noPlayer?.messageId },
      { itemIdentifier: future?.messageId },
    ]);
    const [a, b] = good.players;
    expect(await players.get(a?.username ?? '')).toMatchObject({
      timePlayed: 42.5,
      shotsFired: 20,
      losses: 1,
      matchesPlayed: 1,
    });
    expect(await players.get(b?.username ?? '')).toMatchObject({
      timePlayed: 42.5,
      shotsFired: 31,
      wins: 1,
      bestScore: 900,
    });
  });

  it('counts a message redelivered three times (in one batch and across batches) once', async () => {
    const r = await resultFor();
    const body = JSON.stringify(r);
    const first = await handler({ Records: [record(body), record(body, 2)] });
    const again = await handler({ Records: [record(body, 3)] });
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    const [a, b] = r.players;
    expect(await players.get(a?.username ?? '')).toMatchObject({
      timePlayed: 42.5,
      shotsFired: 20,
      matchesPlayed: 1,
      losses: 1,
    });
    expect(await players.get(b?.username ?? '')).toMatchObject({
      timePlayed: 42.5,
      shotsFired: 31,
      matchesPlayed: 1,
      wins: 1,
    });
  });

  it('a record that failed applies once when SQS delivers it again after the fix', async () => {
    const r = await resultFor(false);
    const body = JSON.stringify(r);
    expect((await handler({ Records: [record(body)] })).batchItemFailures).toHaveLength(1);
    for (const p of r.players) await players.create(p.username, Date.now());
    expect((await handler({ Records: [record(body, 2)] })).batchItemFailures).toEqual([]);
    expect(await players.get(r.players[1]?.username ?? '')).toMatchObject({
      timePlayed: 42.5,
      wins: 1,
      matchesPlayed: 1,
    });
  });
});
