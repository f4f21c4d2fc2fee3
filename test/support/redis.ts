// Redis for tests: the machine's own at 127.0.0.1:6379 (with a key prefix per run, cleaned
// up after), or a private redis-server child that a test may kill.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';
import { requirePart } from './prerequisites.js';
import { waitFor } from './wait.js';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix no other test run uses. */
export const uniquePrefix = () => `duel-test-${randomBytes(4).toString('hex')}:`;

/** Whether a Redis answers at `url` (one quick attempt, no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Deletes every key under `prefix`. */
export async function clearPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** A client for looking inside (TTLs, keys); the caller disconnects it. */
export const redisClient = (url: string) => new Redis(url);

export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;

/**
 * Whether the Redis at 127.0.0.1:6379 answers: a note and false when it does not, a thrown
 * error in CI (`CI=true`), where .ci/run starts it. For `describe.skipIf(!…)`.
 */
export async function requireSharedRedis(): Promise<boolean> {
  const how = 'apt-get install redis-server; redis-server --daemonize yes';
  return requirePart(await redisAnswers(SHARED_REDIS_URL), `Redis at ${SHARED_REDIS_URL}`, how);
}

/** Whether the `redis-server` binary is on PATH, under the same rule. */
export const requireRedisServer = (): boolean =>
  requirePart(hasRedisServer(), 'the redis-server binary', 'apt-get install redis-server');

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: the server vanishes as if the machine lost it. */
  kill(): Promise<void>;
}

/**
 * A throwaway redis-server on a free port (or on `port`, to bring one back after kill()),
 * no persistence.
 */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  port ??= await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = once(child, 'exit');
  let out = '';
  child.stdout.on('data', (b: Buffer) => void (out = (out + b.toString()).slice(-5_000)));
  const url = `redis://127.0.0.1:${port}`;
  // Ready when it answers PING (not when a log line says so); an early exit fails at once.
  try {
    await Promise.race([
      waitFor(() => redisAnswers(url), { what: `redis-server on :${port}` }),
      exited.then(() => Promise.reject(new Error(`redis-server exited before ready:\n${out}`))),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    port,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
