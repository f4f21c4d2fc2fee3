// The match a tab remembers for a reload: what was stored comes back, and anything else
// (nothing, hand-edited, another shape) is no match to return to.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rememberedMatch, rememberMatch } from './api.js';

/** The tab's sessionStorage: a Map behind the Storage calls api.ts makes. */
function tabStorage() {
  const items = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  });
  return items;
}

describe('the remembered match', () => {
  let items: Map<string, string>;
  beforeEach(() => (items = tabStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('comes back as it was stored, and is gone once forgotten', () => {
    const m = { username: 'pilot', matchId: 'm-1', opponent: 'rival' };
    expect(rememberedMatch()).toBeNull();
    rememberMatch(m);
    expect(rememberedMatch()).toEqual(m);
    rememberMatch(null);
    expect(rememberedMatch()).toBeNull();
  });

  it.each([
    'not json',
    '"m-1"',
    'null',
    '{"matchId":"m-1","opponent":"rival"}',
    '{"username":1,"matchId":"m","opponent":"o"}',
  ])('a stored %s is no match to return to', (raw) => {
    items.set('duel.match', raw);
    expect(rememberedMatch()).toBeNull();
  });
});
