// The local queue on a real LevelDB in a temporary directory, with the consumer a function.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalResultsQueue } from './local-queue.js';
import type { DeadLetter } from './queue.js';
import type { MatchResult } from './result.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const result = (): MatchResult => ({
  v: 1,
  matchId: randomUUID(),
  reason: 'ended',
  durationSec: 30,
  winnerSlot: 1,
  endedAt: new Date().toISOString(),
  players: [
    { userId: 'a', username: 'alice', slot: 0 },
    { userId: 'b', username: 'bob', slot: 1 },
  ],
});

async function open(maxAttempts = 3, path?: string) {
  const dir = path ?? (await mkdtemp(join(tmpdir(), 'duel-queue-')));
  if (!path) dirs.push(dir);
  const done: string[] = [];
  const dead: DeadLetter[] = [];
  let wake = () => {};
  const queue = new LocalResultsQueue({
    path: dir,
    policy: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2 },
    logger: pino({ level: 'silent' }),
    events: {
      onDone: (r) => (done.push(r.matchId), wake()),
      onDeadLetter: (l) => (dead.push(l), wake()),
    },
  });
  const until = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((r) => (wake = r));
  };
  return { dir, queue, done, dead, until };
}

describe('LocalResultsQueue', () => {
  it('applies results in the order they were queued, each failing one retried first', async () => {
    const q = await open(5);
    const rs = [result(), result(), result()];
    for (const r of rs) await q.queue.enqueue(r);
    const seen: string[] = [];
    let failuresLeft = 2;
    q.queue.start(async (r) => {
      seen.push(r.matchId);
      if (r.matchId === rs[0]?.matchId && failuresLeft-- > 0) throw new Error('DynamoDB down');
    });
    await q.until(() => q.done.length === 3);
    const [a, b, c] = rs.map((r) => r.matchId);
    expect(seen).toEqual([a, a, a, b, c]);
    expect(q.done).toEqual([a, b, c]);
    await q.queue.close();
  });

  it('dead-letters after maxAttempts and keeps the letter, and its retry, across a reopen', async () => {
    const first = await open(2);
    const r = result();
    await first.queue.enqueue(r);
    first.queue.start(async () => {
      throw new Error('player missing');
    });
    await first.until(() => first.dead.length === 1);
    expect(first.dead[0]).toMatchObject({
      id: r.matchId,
      attempts: 2,
      error: 'Error: player missing',
    });
    await first.queue.close();

    const second = await open(2, first.dir);
    expect((await second.queue.list()).map((l) => l.id)).toEqual([r.matchId]);
    expect(await second.queue.retry(r.matchId)).toBe(true);
    expect(await second.queue.retry(r.matchId)).toBe(false);
    second.queue.start(async () => {});
    await second.until(() => second.done.length === 1);
    expect(await second.queue.list()).toEqual([]);
    await second.queue.close();
  });

  it('a queued result waits on disk for the next open', async () => {
    const first = await open();
    const r = result();
    await first.queue.enqueue(r);
    await first.queue.close();
    const second = await open(3, first.dir);
    second.queue.start(async () => {});
    await second.until(() => second.done.length === 1);
    expect(second.done).toEqual([r.matchId]);
    await second.queue.close();
  });

  it('an entry that is not a result is a dead letter at once', async () => {
    const q = await open(5);
    await q.queue.enqueue({ ...result(), v: 2 } as unknown as MatchResult);
    q.queue.start(async () => {});
    await q.until(() => q.dead.length === 1);
    expect(q.dead[0]).toMatchObject({
      attempts: 1,
      error: expect.stringContaining('InvalidResultError'),
    });
    await q.queue.close();
  });
});
