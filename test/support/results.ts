// Helpers for the results-queue tests: an in-process platform with real rooms on the given
// DynamoDB, two bot processes playing a short match, and waits on the queue's own events.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Backends } from '../../server/src/backends.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import type { RoomHost } from '../../server/src/match/index.js';
import type { MatchEndedEvent } from '../../server/src/match/worker-protocol.js';
import { createPlatform, type Platform } from '../../server/src/platform.js';
import type { DeadLetter } from '../../server/src/results/queue.js';
import type { MatchResult } from '../../server/src/results/result.js';
import { uniqueName } from './local-stack.js';

/** Every result the local queue finished with, as it happened. */
export class QueueWatch {
  readonly done: { result: MatchResult; attempts: number }[] = [];
  readonly dead: DeadLetter[] = [];
  private readonly waiters: (() => void)[] = [];

  readonly events = {
    onDone: (result: MatchResult, attempts: number) =>
      this.push(() => this.done.push({ result, attempts })),
    onDeadLetter: (letter: DeadLetter) => this.push(() => this.dead.push(letter)),
  };

  /** Resolves once `ready()` holds, re-checked after every queue event. */
  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((r) => this.waiters.push(r));
  }

  doneFor = (matchId: string) => this.done.filter((d) => d.result.matchId === matchId);

  private push(record: () => void): void {
    record();
    for (const w of this.waiters.splice(0)) w();
  }
}

export interface Rig {
  platform: Platform;
  url: string;
  watch: QueueWatch;
  close(): Promise<void>;
}

/** A platform with rooms on `dynamo`, served over HTTP on a free port for the bots. */
export async function startRig(
  o: {
    baseEnv: Record<string, string>;
    backends: Backends;
    host: RoomHost;
    dynamo?: DynamoDBClient;
  },
  env: Record<string, string> = {},
): Promise<Rig> {
  const watch = new QueueWatch();
  const platform = createPlatform({
    config: loadConfig({ ...o.baseEnv, ...env }),
    logger: createLogger('silent'),
    backends: o.dynamo ? { ...o.backends, dynamo: o.dynamo } : o.backends,
    host: o.host,
    resultEvents: watch.events,
  });
  const server: Server = platform.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    platform,
    url: `http://127.0.0.1:${port}`,
    watch,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await platform.close();
    },
  };
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The bot CLI as a child process. Not support/bots.ts: that module loads node-datachannel,
 * which must not share this process with an in-process room worker.
 */
async function botCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/bot/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-10_000)));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

/** Two bot processes that sign up, get paired and play `seconds` before leaving. */
export function botPair(url: string, seconds: number) {
  const name = uniqueName('res');
  const names = [`${name}-1`, `${name}-2`] as const;
  const run = botCli([
    ...['--url', url, '--username', name, '--password', 'bot password', '--signup'],
    ...['--count', '2', '--seconds', String(seconds), '--json'],
  ]);
  return { names, run };
}

export const nextMatchStarted = (host: RoomHost) => once(host, 'matchStarted');
export const nextMatchEnded = async (host: RoomHost): Promise<MatchEndedEvent> =>
  ((await once(host, 'matchEnded')) as [MatchEndedEvent])[0];

/** What one player's record must gain from a match (see ResultConsumer). */
export function expectedGain(e: MatchEndedEvent, username: string) {
  const p = e.players.find((x) => x.username === username);
  if (!p) throw new Error(`${username} did not play ${e.matchId}`);
  const s = e.stats[p.slot];
  const decided = !['server_stopping', 'admin_ended', 'server_error', 'connect_timeout'].includes(
    e.reason,
  );
  return {
    timePlayed: e.durationSec,
    shotsFired: s.shotsFired,
    hits: s.hits,
    asteroidsDestroyed: s.asteroidsDestroyed,
    bestScore: s.score,
    matchesPlayed: decided ? 1 : 0,
    wins: decided && e.winnerSlot === p.slot ? 1 : 0,
    losses: decided && e.winnerSlot >= 0 && e.winnerSlot !== p.slot ? 1 : 0,
    draws: decided && e.winnerSlot < 0 ? 1 : 0,
  };
}
