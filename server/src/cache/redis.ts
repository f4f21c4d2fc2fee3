// The cache in Redis (REDIS_URL), shared by every node. Tuned to fail fast: a Redis that is
// down or hung must cost a request at most one short timeout, never a stall, because every
// caller falls back to DynamoDB.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Cache } from './cache.js';

export interface RedisCacheOptions {
  url: string;
  /** Prepended to every key, so several deployments or test runs can share one Redis. */
  keyPrefix: string;
  logger: Logger;
  /** A command that takes longer fails (ms). */
  commandTimeoutMs?: number;
}

// Commands issued while the first connection is being made wait for it this long (ms), so a
// node that just started does not count its first requests as cache failures.
const FIRST_CONNECT_WAIT_MS = 1000;

export class RedisCache implements Cache {
  private readonly redis: Redis;
  private readonly listeners: (() => void)[] = [];
  private readonly started: Promise<void>;
  private lost = false;

  constructor(o: RedisCacheOptions) {
    this.redis = new Redis(o.url, {
      keyPrefix: o.keyPrefix,
      // While disconnected, commands fail at once instead of queueing behind the reconnect.
      enableOfflineQueue: false,
      // A command caught by a dropped connection fails; it is not replayed later.
      maxRetriesPerRequest: 0,
      commandTimeout: o.commandTimeoutMs ?? 250,
      connectTimeout: 2000,
      // Reconnect in the background forever, at most every 2 s.
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Without a listener, ioredis's connection errors would be unhandled 'error' events. The
    // callers log and count the failed commands; this only notes the connection's state.
    this.redis.on('error', (err: Error) => o.logger.debug({ err }, 'redis connection error'));
    this.redis.on('close', () => {
      this.lost = true;
    });
    this.started = new Promise((resolve) => {
      this.redis.once('ready', resolve);
      setTimeout(resolve, FIRST_CONNECT_WAIT_MS).unref();
    });
    this.redis.on('ready', () => {
      if (!this.lost) return;
      this.lost = false;
      o.logger.info('redis is reachable again');
      for (const l of this.listeners) l();
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    await this.started;
    const json = await this.redis.get(key);
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.started;
    // PX: Redis itself drops the key when its time is up, on every node at once.
    await this.redis.set(key, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.started;
    await this.redis.del(key);
  }

  onReconnect(listener: () => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
    // QUIT needs a live connection; a dead one is simply dropped.
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
