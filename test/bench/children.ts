// Load generators as child processes (bots, bench players, autocannon): spawned from the
// repository root, their stdout collected, their stderr kept short for failure messages.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  kill(): void;
}

export function run(
  args: readonly string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Child {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8_000)));
  // Bounded in time whatever happens: a stuck load generator is killed.
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = once(child, 'exit').then(([code]) => {
    clearTimeout(timer);
    return { code: code as number | null, stdout, stderr };
  });
  if (child.pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
  return { pid: child.pid, done, kill: () => child.kill('SIGTERM') };
}

/** Runs TypeScript from source, as the tests do. */
export const tsx = (
  file: string,
  args: readonly string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Child => run(['--import', 'tsx', file, ...args], timeoutMs, env);

/** One JSON value per stdout line; lines that are not JSON are skipped. */
export function jsonLines<T>(stdout: string): T[] {
  const out: T[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A truncated line from a killed process.
    }
  }
  return out;
}
