// The server under test as its own process (test/bench/server-entry.ts, from source through
// tsx), in local mode with its emulators, with limits raised so the load is not refused.
// It is asked for RoomHost stats over IPC; /proc gives its CPU time and memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoomHostStats } from '../../server/src/match/room-host.js';
import { freePort } from '../support/ports.js';
import type { BenchRequest } from './server-entry.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('./server-entry.ts', import.meta.url));

export interface BenchServerOptions {
  /** Rooms on the HTTP thread instead of a worker thread. */
  readonly inline?: boolean;
  /** Reuse this DATA_DIR (accounts persist); a fresh temporary one otherwise. */
  readonly dataDir?: string;
  /** Write V8 CPU profiles (one per thread) here. */
  readonly cpuProfDir?: string;
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
  output(): string;
  /** SIGTERM, then wait for the exit; keep the data directory when `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

const generous = '1000000';

export async function startBenchServer(o: BenchServerOptions = {}): Promise<BenchServer> {
  const dataDir = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'duel-bench-')));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOCAL_DYNAMODB_PORT: String(await freePort()),
    LOCAL_COGNITO_PORT: String(await freePort()),
    RTC_UDP_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_IP_PER_MINUTE: generous,
    RATE_LIMIT_USER_PER_MINUTE: generous,
    RATE_LIMIT_USER_IP_PER_MINUTE: generous,
    RATE_LIMIT_SIGNAL_PER_MINUTE: generous,
    RATE_LIMIT_AUTHED_PER_MINUTE: generous,
    RATE_LIMIT_PUBLIC_PER_MINUTE: generous,
    // Long enough that no lease runs out while a step waits.
    LEASE_SECONDS: '600',
  };
  const prof = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const child = spawn(
    process.execPath,
    [...prof, '--expose-gc', '--import', 'tsx', entry, ...(o.inline ? ['--inline'] : [])],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let out = '';
  const collect = (b: Buffer) => void (out = (out + b.toString()).slice(-20_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => out.includes('Duel platform at') && resolve());
    void exited.then((code) => reject(new Error(`bench server exited (${code}):\n${out}`)));
  });
  if (child.pid === undefined) throw new Error('bench server has no pid');
  const pid = child.pid;
  const ask = ipc(child);
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    dataDir,
    inline: o.inline ?? false,
    stats: () => ask<RoomHostStats>('stats'),
    endAll: () => ask<unknown>('endAll').then(() => undefined),
    memory: () => ask<NodeJS.MemoryUsage>('memory'),
    gc: () => ask<unknown>('gc').then(() => undefined),
    queueLength: () => ask<number>('queue'),
    roomThreads: () => ask<{ rooms: number[] }>('threads').then((t) => t.rooms),
    output: () => out,
    async stop(keepData = false) {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
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
