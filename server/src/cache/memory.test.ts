import { describe, expect, it } from 'vitest';
import { MemoryCache } from './memory.js';

function clock(t = 1_000) {
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('MemoryCache', () => {
  it('gives back what was set until its TTL has passed, never after', async () => {
    const c = clock();
    const cache = new MemoryCache({ now: c.now });
    await cache.set('k', { a: 1 }, 500);
    c.advance(499);
    expect(await cache.get('k')).toEqual({ a: 1 });
    c.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('invalidates a key at once', async () => {
    const cache = new MemoryCache({ now: clock().now });
    await cache.set('k', 1, 10_000);
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('hands out copies, so a reader cannot change what the next one gets', async () => {
    const cache = new MemoryCache({ now: clock().now });
    await cache.set('k', { list: [1] }, 10_000);
    const first = await cache.get<{ list: number[] }>('k');
    first?.list.push(2);
    expect(await cache.get('k')).toEqual({ list: [1] });
  });

  it('keeps at most maxEntries, dropping the oldest written', async () => {
    const cache = new MemoryCache({ now: clock().now, maxEntries: 2 });
    await cache.set('a', 1, 10_000);
    await cache.set('b', 2, 10_000);
    await cache.set('a', 3, 10_000); // rewritten: now the newest
    await cache.set('c', 4, 10_000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(3);
    expect(await cache.get('c')).toBe(4);
    expect(cache.size).toBe(2);
  });
});
