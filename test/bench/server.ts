// The server under test as its own process (test/bench/server-entry.ts), started by the tests'
// own spawner (test/support/server-process.ts) with limits raised so the load is not refused.
// It is asked for RoomHost stats over IPC; /proc gives its CPU time and memory.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoomHostStats } from '../../server/src/match/room-host.js';
import { startServer } from '../support/server-process.js';
import type { BenchRequest } from './server-entry.js';

const entry = fileURLToPath(new URL('./server-entry.ts', import.meta.url));

export interface BenchServerOptions {
  /** Rooms on the HTTP thread instead of a worker thread. */
  readonly inline?: boolean;
  /** Reuse this DATA_DIR (accounts persist); a fresh temporary one otherwise. */
  readonly dataDir?: string;
  /** Write V8 CPU profiles (one per thread) here. */
  readonly cpuProfDir?: string;
  /**
   * The reference of the auth benchmark: logins through amazon-cognito-identity-js's
   * authenticateUser, and no session cache (SESSION_CACHE=false: a DynamoDB write per call).
   */
  readonly referenceAuth?: boolean;
}

/** How the session checks were served so far; `renewed` is one DynamoDB write each. */
export interface SessionChecks {
  readonly cache?: number;
  readonly renewed?: number;
  readonly refused?: number;
}

export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly inline: boolean;
  stats(): Promise<RoomHostStats>;
  /** Ends every live match (bots then report and exit). */
  endAll(): Promise<void>;
  /** Tickets waiting for an opponent. */
  queueLength(): Promise<number>;
  /** A full garbage collection of the server's main thread (not the room worker's heap). */
  gc(): Promise<void>;
  /** process.memoryUsage() of the server's main thread. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Thread ids of the room worker (and its module loader); none with inline rooms. */
  roomThreads(): Promise<readonly number[]>;
  /** Process ids of the room workers (child processes of the server); none with inline rooms. */
  roomPids(): Promise<readonly number[]>;
  sessionChecks(): Promise<SessionChecks>;
  output(): string;
  /** SIGTERM, then wait for the exit; keep the data directory when `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

const generous = '1000000';

/** Limits raised so the load is not refused, and leases long enough for any step's wait. */
const BENCH_ENV = {
  RATE_LIMIT_IP_PER_MINUTE: generous,
  RATE_LIMIT_USER_PER_MINUTE: generous,
  RATE_LIMIT_USER_IP_PER_MINUTE: generous,
  RATE_LIMIT_AUTHED_PER_MINUTE: generous,
  RATE_LIMIT_SIGNAL_PER_MINUTE: generous,
  RATE_LIMIT_PUBLIC_PER_MINUTE: generous,
  LEASE_SECONDS: '600',
};

export async function startBenchServer(o: BenchServerOptions = {}): Promise<BenchServer> {
  const dataDir = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'duel-bench-')));
  const prof = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const env = o.referenceAuth ? { ...BENCH_ENV, SESSION_CACHE: 'false' } : BENCH_ENV;
  const server = await startServer(env, {
    entry,
    args: [...(o.inline ? ['--inline'] : []), ...(o.referenceAuth ? ['--login-library'] : [])],
    nodeArgs: [...prof, '--expose-gc'],
    ipc: true,
    dataDir,
  });
  const ask = ipc(server.child);
  return {
    url: server.url,
    pid: server.pid,
    dataDir,
    inline: o.inline ?? false,
    stats: () => ask<RoomHostStats>('stats'),
    endAll: () => ask<unknown>('endAll').then(() => undefined),
    memory: () => ask<NodeJS.MemoryUsage>('memory'),
    gc: () => ask<unknown>('gc').then(() => undefined),
    queueLength: () => ask<number>('queue'),
    roomThreads: () => ask<{ rooms: number[] }>('threads').then((t) => t.rooms),
    roomPids: () => ask<{ rooms: number[] }>('pids').then((t) => t.rooms),
    sessionChecks: () => ask<SessionChecks>('sessionChecks'),
    output: () => server.output(),
    stop: (keepData = false) => server.stop(keepData),
  };
}

type IpcReply = { id: number; ok: boolean; value?: unknown; error?: string };

function ipc(child: ChildProcess) {
  let next = 1;
  const waiting = new Map<number, (m: IpcReply) => void>();
  child.on('message', (m: IpcReply) => waiting.get(m.id)?.(m));
  return <T>(kind: BenchRequest['kind']): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`${kind}: no answer in 10 s`));
      }, 10_000);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (m.ok) resolve(m.value as T);
        else reject(new Error(`${kind}: ${m.error ?? 'failed'}`));
      });
      child.send({ id, kind } satisfies BenchRequest);
    });
}
