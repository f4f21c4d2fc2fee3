// The cache as its users see it: it never throws. A failed command is logged and counted,
// and reads as a miss (or a write that did not happen), so the caller serves from DynamoDB.
// After a failure the store is skipped for a moment, so an outage costs each request nothing.
import type { Logger } from 'pino';
import type { Cache } from './cache.js';

export type CacheLookup = 'hit' | 'miss' | 'unavailable';

/** What a lookup was for: a cached view, or the generation the views are filed under. */
export type LookupKind = 'entry' | 'generation';

export interface CacheObserver {
  lookup(kind: LookupKind, result: CacheLookup): void;
  error(op: 'get' | 'set' | 'delete'): void;
}

export interface ResilientCacheOptions {
  logger: Logger;
  observer?: CacheObserver;
  now?: () => number;
  /** After a failure, calls skip the store this long (ms). */
  bypassMs?: number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

export class ResilientCache {
  private downUntil = 0;
  private failing = false;
  private readonly now: () => number;

  constructor(
    private readonly inner: Cache,
    private readonly o: ResilientCacheOptions,
  ) {
    this.now = o.now ?? Date.now;
    inner.onReconnect(() => {
      this.downUntil = 0;
    });
  }

  async get<T>(key: string, kind: LookupKind = 'entry'): Promise<T | undefined> {
    const out = await this.attempt('get', () => this.inner.get<T>(key));
    if (!out.ok) {
      this.o.observer?.lookup(kind, 'unavailable');
      return undefined;
    }
    this.o.observer?.lookup(kind, out.value === undefined ? 'miss' : 'hit');
    return out.value;
  }

  /** True when stored. */
  async set(key: string, value: unknown, ttlMs: number): Promise<boolean> {
    return (await this.attempt('set', () => this.inner.set(key, value, ttlMs))).ok;
  }

  /** True when the key is gone. */
  async delete(key: string): Promise<boolean> {
    return (await this.attempt('delete', () => this.inner.delete(key))).ok;
  }

  onReconnect(listener: () => void): void {
    this.inner.onReconnect(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async attempt<T>(
    op: 'get' | 'set' | 'delete',
    run: () => Promise<T>,
  ): Promise<Outcome<T>> {
    if (this.now() < this.downUntil) return { ok: false };
    try {
      const value = await run();
      if (this.failing) {
        this.failing = false;
        this.o.logger.info('cache answers again');
      }
      return { ok: true, value };
    } catch (err) {
      this.o.observer?.error(op);
      // One warning per outage; the metric counts every failure.
      if (!this.failing)
        this.o.logger.warn({ err, op }, 'cache unavailable; serving from DynamoDB');
      this.failing = true;
      this.downUntil = this.now() + (this.o.bypassMs ?? 1000);
      return { ok: false };
    }
  }
}
