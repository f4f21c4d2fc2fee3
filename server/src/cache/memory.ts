// One node's cache: a Map with expiry times, bounded in size.
import type { Cache } from './cache.js';

interface Entry {
  json: string;
  expiresAt: number;
}

export interface MemoryCacheOptions {
  /** Clock in ms; injected so tests drive expiry by hand. */
  now?: () => number;
  /** Entries kept at most; the oldest written goes first. */
  maxEntries?: number;
}

export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(o: MemoryCacheOptions = {}) {
    this.now = o.now ?? Date.now;
    this.maxEntries = o.maxEntries ?? 10_000;
  }

  get<T>(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    if (!e) return Promise.resolve(undefined);
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return Promise.resolve(undefined);
    }
    // Stored as JSON, so a caller can never mutate what the next reader gets.
    return Promise.resolve(JSON.parse(e.json) as T);
  }

  set(key: string, value: unknown, ttlMs: number): Promise<void> {
    // Re-inserting moves the key to the end of the Map's order, which is the eviction order.
    this.entries.delete(key);
    this.entries.set(key, { json: JSON.stringify(value), expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  onReconnect(): void {
    // Memory is never unreachable.
  }

  /** Entries held, expired ones included until read (for tests and status). */
  get size(): number {
    return this.entries.size;
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}
