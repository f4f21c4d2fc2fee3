// Figures for the results path in local mode: results applied per second through the local
// queue (LevelDB + the consumer, against dynalite), and the delay from "match ended" (enqueue)
// to "stats visible" (applied), in normal running and for results that ended during a 10 s
// DynamoDB outage. Run: npx tsx test/bench/results-queue.ts [count]
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureTables } from '../../server/src/local/bootstrap.js';
import { createLogger } from '../../server/src/logger.js';
import { PlayerRepository } from '../../server/src/players/repository.js';
import { matchesTable, playersTable } from '../../server/src/players/table.js';
import { ResultConsumer } from '../../server/src/results/consumer.js';
import { LocalResultsQueue } from '../../server/src/results/local-queue.js';
import { MatchRepository } from '../../server/src/results/repository.js';
import type { MatchResult } from '../../server/src/results/result.js';
import { freePort } from '../support/ports.js';

const COUNT = Number(process.argv[2] ?? 300);
const OUTAGE_MS = 10_000;
const logger = createLogger('silent');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

function result(a: string, b: string): MatchResult {
  return {
    v: 1,
    matchId: randomUUID(),
    reason: 'ended',
    durationSec: 60,
    winnerSlot: 0,
    endedAt: new Date().toISOString(),
    players: [
      { userId: a, username: a, slot: 0 },
      { userId: b, username: b, slot: 1 },
    ],
    stats: [
      { score: 10, shotsFired: 5, hits: 1, asteroidsDestroyed: 2 },
      { score: 5, shotsFired: 4, hits: 0, asteroidsDestroyed: 1 },
    ],
  };
}

const dir = await mkdtemp(join(tmpdir(), 'duel-results-bench-'));
const port = await freePort();
const ddb = dynalite({ path: join(dir, 'dynamodb'), createTableMs: 0 });
ddb.listen(port, '127.0.0.1');
await once(ddb, 'listening');
const dynamo = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: `http://127.0.0.1:${port}`,
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
await ensureTables(dynamo, [playersTable('players'), matchesTable('matches')], dir, logger);
const players = new PlayerRepository(dynamo, 'players');
const consumer = new ResultConsumer({
  players,
  matches: new MatchRepository(dynamo, 'matches'),
  logger,
});
const names = Array.from({ length: 20 }, (_, i) => `bench${i}`);
for (const n of names) await players.create(n, Date.now());

const enqueuedAt = new Map<string, number>();
const delays = new Map<string, number>();
let onAllDone: (() => void) | undefined;
let expected = 0;
const queue = new LocalResultsQueue({
  path: join(dir, 'results-queue'),
  policy: { maxAttempts: 100, baseDelayMs: 250, maxDelayMs: 2000 },
  logger,
  events: {
    onDone: (r) => {
      delays.set(r.matchId, performance.now() - (enqueuedAt.get(r.matchId) ?? NaN));
      if (delays.size >= expected) onAllDone?.();
    },
  },
});
queue.start((r) => consumer.apply(r));

async function run(count: number, during?: () => Promise<void>) {
  delays.clear();
  expected = count;
  const done = new Promise<void>((r) => (onAllDone = r));
  const results = Array.from({ length: count }, (_, i) =>
    result(names[(2 * i) % names.length] ?? '', names[(2 * i + 1) % names.length] ?? ''),
  );
  const t0 = performance.now();
  const ids: string[] = [];
  const background = during?.();
  for (const r of results) {
    enqueuedAt.set(r.matchId, performance.now());
    ids.push(r.matchId);
    await queue.enqueue(r);
  }
  await background;
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const ms = ids.map((id) => delays.get(id) ?? NaN);
  return {
    count,
    seconds: +seconds.toFixed(2),
    perSecond: +(count / seconds).toFixed(1),
    p50: +pct(ms, 50).toFixed(1),
    p99: +pct(ms, 99).toFixed(1),
  };
}

// Burst: every result queued at once, so the rate is the consumer's and delays include queueing.
const burst = await run(COUNT);
// Normal: one result at a time, as matches end far apart, so delay = one apply.
const single: number[] = [];
for (let i = 0; i < 50; i++) single.push((await run(1)).p50);
// Outage: DynamoDB stops, 20 matches end in it, it comes back 10 s later.
const outage = await run(20, async () => {
  const closed = new Promise((r) => ddb.close(r));
  ddb.closeAllConnections();
  await closed;
  await delay(OUTAGE_MS);
  ddb.listen(port, '127.0.0.1');
  await once(ddb, 'listening');
});
console.log(
  JSON.stringify(
    {
      burst,
      normal: {
        count: single.length,
        p50: +pct(single, 50).toFixed(1),
        p99: +pct(single, 99).toFixed(1),
      },
      outage10s: outage,
    },
    null,
    1,
  ),
);
await queue.close();
dynamo.destroy();
await new Promise((r) => ddb.close(r));
await rm(dir, { recursive: true, force: true });
