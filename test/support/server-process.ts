// The real server as a child process (from source, through tsx), in local mode with its own
// emulators, ports and DATA_DIR: what `npm start` runs, minus the build. The one spawner for
// the tests and the benchmark (which starts test/bench/server-entry.ts with an IPC channel).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the started server prints once it listens (main.ts and the bench entry alike). */
const READY_LINE = 'Duel platform at';

export interface SpawnOptions {
  /** The script to run, relative to the repo root or absolute (default server/src/main.ts). */
  readonly entry?: string;
  /** Arguments after the script. */
  readonly args?: readonly string[];
  /** Node flags before the script (e.g. --cpu-prof, --expose-gc). */
  readonly nodeArgs?: readonly string[];
  /** Open an IPC channel to the child (child.send / 'message'). */
  readonly ipc?: boolean;
  /** Use this DATA_DIR, kept on stop; a fresh temporary one otherwise (env DATA_DIR wins). */
  readonly dataDir?: string;
}

export interface ServerProcess {
  url: string;
  dataDir: string;
  env: Record<string, string>;
  child: ChildProcess;
  pid: number;
  /** The last 20 KB the process wrote, for failure messages (never a test oracle). */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM unless it has exited, then wait; a temporary DATA_DIR is removed unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

/** Free ports, a DATA_DIR, quiet logs and limits that no ordinary test reaches. */
async function defaultEnv(dataDir: string): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '',
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    LOCAL_DYNAMODB_PORT: String(await freePort()),
    LOCAL_COGNITO_PORT: String(await freePort()),
    RTC_UDP_PORT: String(await freePort('udp')),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_IP_PER_MINUTE: '100000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    RATE_LIMIT_USER_IP_PER_MINUTE: '100000',
    RATE_LIMIT_SIGNAL_PER_MINUTE: '100000',
    RATE_LIMIT_AUTHED_PER_MINUTE: '100000',
  };
}

// A port found free can still be taken by another test's process before the server binds it;
// such a start is retried with fresh ports. Any other start-up failure is the test's to see.
const START_ATTEMPTS = 3;

export async function startServer(
  env: Record<string, string> = {},
  o: SpawnOptions = {},
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, o);
    } catch (e) {
      const raced = e instanceof Error && / is in use/.test(e.message);
      if (!raced || attempt >= START_ATTEMPTS) throw e;
    }
  }
}

async function startOnce(env: Record<string, string>, o: SpawnOptions): Promise<ServerProcess> {
  const given = env.DATA_DIR ?? o.dataDir;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'duel-server-')));
  const fullEnv = { ...(await defaultEnv(dataDir)), ...env };
  const script = [...(o.nodeArgs ?? []), '--import', 'tsx', o.entry ?? 'server/src/main.ts'];
  const child = spawn(process.execPath, [...script, ...(o.args ?? [])], {
    cwd: root,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe', ...(o.ipc ? (['ipc'] as const) : [])],
  });
  let out = '';
  const collect = (b: Buffer) => void (out = (out + b.toString()).slice(-20_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // The ready line is a handshake: printed once it listens, in the turn that installs the stop
  // handlers, so a SIGTERM sent after it is always handled.
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => out.includes(READY_LINE) && resolve());
    exited
      .then((code) => reject(new Error(`server exited (${code}) before ready:\n${out}`)))
      .catch(reject);
  });
  if (child.pid === undefined) throw new Error('the server process has no pid');
  return {
    url: `http://127.0.0.1:${fullEnv.PORT}`,
    dataDir,
    env: fullEnv,
    child,
    pid: child.pid,
    output: () => out,
    exited,
    async stop(keepData = given !== undefined) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
