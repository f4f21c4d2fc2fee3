// Where rate-limit counters live. Without Redis each node counts alone (express-rate-limit's
// MemoryStore); with REDIS_URL every node counts in one Redis (rate-limit-redis), so a client
// cannot multiply its quota by the number of nodes. Counting fails open: a Redis that is down
// lets requests through (logged), because refusing every login would be worse.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  MemoryStore,
  type ClientRateLimitInfo,
  type Options,
  type Store,
} from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';

export interface LimitStores {
  /** A new store for the limiter `name` (each limiter needs its own). */
  storeFor(name: string): Store;
  close(): Promise<void>;
}

export const memoryLimitStores = (): LimitStores => ({
  storeFor: () => new MemoryStore(),
  close: async () => undefined,
});

/**
 * rate-limit-redis loads its script once, in init(); if Redis was out of reach then, every
 * later call would fail for good. This wrapper loads it again after any failure.
 */
class ReloadingStore implements Store {
  private options: Partial<Options> | undefined;

  constructor(
    private readonly inner: RedisStore,
    private readonly logger: Logger,
  ) {}

  get prefix() {
    return this.inner.prefix;
  }

  async init(options: Options): Promise<void> {
    this.options = options;
    await this.inner.init(options).catch((err: unknown) => {
      this.logger.warn({ err }, 'rate limit store: Redis not ready; will retry');
    });
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    try {
      return await this.inner.increment(key);
    } catch {
      await this.inner.init(this.options as Options);
      return this.inner.increment(key);
    }
  }

  decrement = (key: string) => this.inner.decrement(key);
  resetKey = (key: string) => this.inner.resetKey(key);
  get = (key: string) => this.inner.get(key);
}

export function redisLimitStores(o: {
  url: string;
  keyPrefix: string;
  logger: Logger;
}): LimitStores {
  const redis = new Redis(o.url, {
    // A limiter waits at most this long for Redis, then fails open.
    commandTimeout: 500,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', (err) => o.logger.debug({ err }, 'rate limit Redis connection error'));
  const sendCommand = (...args: string[]) =>
    redis.call(args[0] ?? 'PING', ...args.slice(1)) as Promise<RedisReply>;
  return {
    storeFor: (name) =>
      new ReloadingStore(
        new RedisStore({ sendCommand, prefix: `${o.keyPrefix}rl:${name}:` }),
        o.logger,
      ),
    close: async () => {
      redis.disconnect();
    },
  };
}
