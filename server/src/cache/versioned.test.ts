// The cache's failure handling, with a store that fails on command (a fake behind the Cache
// interface; the real Redis is exercised in test/integration/cache.test.ts).
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Cache } from './cache.js';
import { MemoryCache } from './memory.js';
import { ResilientCache, type CacheObserver } from './resilient.js';
import { VersionedCache } from './versioned.js';

class FlakyCache implements Cache {
  down = false;
  private readonly inner = new MemoryCache();
  private readonly listeners: (() => void)[] = [];
  private check() {
    if (this.down) return Promise.reject(new Error('store down'));
    return Promise.resolve();
  }
  async get<T>(key: string) {
    await this.check();
    return this.inner.get<T>(key);
  }
  async set(key: string, value: unknown, ttlMs: number) {
    await this.check();
    return this.inner.set(key, value, ttlMs);
  }
  async delete(key: string) {
    await this.check();
    return this.inner.delete(key);
  }
  onReconnect(l: () => void) {
    this.listeners.push(l);
  }
  reconnect() {
    this.down = false;
    for (const l of this.listeners) l();
  }
  close() {
    return Promise.resolve();
  }
}

function setup() {
  let t = 0;
  const store = new FlakyCache();
  const counts: string[] = [];
  const observer: CacheObserver = {
    lookup: (kind, result) => void counts.push(`${kind}:${result}`),
    error: (op) => void counts.push(`error:${op}`),
  };
  const resilient = new ResilientCache(store, {
    logger: pino({ level: 'silent' }),
    observer,
    now: () => t,
    bypassMs: 1000,
  });
  const views = new VersionedCache(resilient, { ttlMs: 60_000, settleMs: 60_000 });
  let loads = 0;
  const read = (value: string) => views.read('view', async () => (loads++, value));
  return { store, views, counts, read, loads: () => loads, advance: (ms: number) => (t += ms) };
}

describe('VersionedCache over a store that fails', () => {
  it('serves the cached value until invalidated, then loads again', async () => {
    const s = setup();
    expect(await s.read('a')).toBe('a');
    expect(await s.read('b')).toBe('a');
    await s.views.invalidateAll();
    expect(await s.read('c')).toBe('c');
    expect(s.loads()).toBe(2);
    s.views.close();
  });

  it('loads from the source when the store fails, counting and not throwing', async () => {
    const s = setup();
    await s.read('a');
    s.store.down = true;
    expect(await s.read('b')).toBe('b');
    expect(s.counts).toContain('error:get');
    s.views.close();
  });

  it('skips the store for a moment after a failure', async () => {
    const s = setup();
    s.store.down = true;
    await s.read('a');
    const errors = s.counts.filter((c) => c.startsWith('error')).length;
    await s.read('b');
    expect(s.counts.filter((c) => c.startsWith('error')).length).toBe(errors);
    expect(s.counts.at(-1)).toBe('generation:unavailable');
    s.views.close();
  });

  it('never serves an entry whose invalidation could not be written', async () => {
    const s = setup();
    await s.read('old');
    s.store.down = true;
    await s.views.invalidateAll(); // lost: the store is down
    s.store.down = false;
    s.advance(1000); // past the bypass
    // The old entry is still in the store, but the owed invalidation is written first.
    expect(await s.read('new')).toBe('new');
    s.views.close();
  });

  it('invalidates everything when the store comes back (other nodes may have missed theirs)', async () => {
    const s = setup();
    await s.read('old');
    s.store.down = true;
    s.store.reconnect();
    await Promise.resolve(); // the reconnect's invalidation is a fire-and-forget write
    expect(await s.read('new')).toBe('new');
    s.views.close();
  });
});
