// The session cache with a clock driven by hand and invalidations behind their interface.
import { describe, expect, it } from 'vitest';
import type { PlayerItem } from '../players/player.js';
import { zeroStats } from '../players/player.js';
import { SessionCache } from './session-cache.js';
import {
  LocalSessionInvalidations,
  type InvalidationListener,
  type SessionInvalidations,
} from './session-invalidations.js';

/** Invalidations whose liveness the test sets, as a Redis pub/sub that goes deaf would. */
class SwitchableInvalidations implements SessionInvalidations {
  live = true;
  private readonly listeners: InvalidationListener[] = [];
  subscribe(l: InvalidationListener) {
    this.listeners.push(l);
  }
  publish(username: string) {
    this.deliver(username);
    return Promise.resolve();
  }
  deliver(username: string | undefined) {
    for (const l of this.listeners) l(username);
  }
  close() {
    return Promise.resolve();
  }
}

const player = (username: string): PlayerItem => ({
  username,
  active: true,
  timePlayed: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...zeroStats(),
});
const token = { jti: 'j1', tokenHash: 'h1' };

function setup(invalidations: SessionInvalidations = new LocalSessionInvalidations()) {
  let t = 1_000_000;
  const cache = new SessionCache({ invalidations, renewEveryMs: 15_000, now: () => t });
  const renew = (username = 'ann', at = t) => {
    const ticket = cache.ticket();
    return cache.store(username, { ...token, player: player(username) }, ticket, at);
  };
  return { cache, renew, advance: (ms: number) => (t += ms), now: () => t };
}

describe('SessionCache', () => {
  it('serves a renewal for a quarter lease, then asks for the next one', () => {
    const s = setup();
    expect(s.cache.lookup('ann', token)).toBeUndefined();
    expect(s.renew()).toBe(true);
    s.advance(14_999);
    expect(s.cache.lookup('ann', token)?.username).toBe('ann');
    s.advance(1);
    expect(s.cache.lookup('ann', token)).toBeUndefined();
  });

  it('serves only the exact token of the renewal', () => {
    const s = setup();
    s.renew();
    expect(s.cache.lookup('ann', { jti: 'j1', tokenHash: 'other' })).toBeUndefined();
    expect(s.cache.lookup('ann', { jti: 'j2', tokenHash: 'h1' })).toBeUndefined();
    expect(s.cache.lookup('bob', token)).toBeUndefined();
  });

  it('drops the entry the moment the session changes', async () => {
    const bus = new LocalSessionInvalidations();
    const s = setup(bus);
    s.renew();
    s.renew('bob');
    await bus.publish('ann');
    expect(s.cache.lookup('ann', token)).toBeUndefined();
    expect(s.cache.lookup('bob', token)?.username).toBe('bob');
  });

  it('refuses a renewal that began before an invalidation (it may have read the old session)', () => {
    const bus = new SwitchableInvalidations();
    const s = setup(bus);
    const ticket = s.cache.ticket();
    bus.deliver('ann'); // a logout elsewhere, heard while this renewal was in flight
    expect(s.cache.store('ann', { ...token, player: player('ann') }, ticket, s.now())).toBe(false);
    expect(s.cache.lookup('ann', token)).toBeUndefined();
    // A renewal that began after it is the new truth.
    expect(s.renew()).toBe(true);
  });

  it('serves nothing and stores nothing while invalidations may be missed, and forgets all after', () => {
    const bus = new SwitchableInvalidations();
    const s = setup(bus);
    s.renew();
    bus.live = false;
    expect(s.cache.lookup('ann', token)).toBeUndefined();
    expect(s.renew('bob')).toBe(false);
    // Back: the bus says "drop everything", since messages may have been lost meanwhile.
    bus.live = true;
    bus.deliver(undefined);
    expect(s.cache.lookup('ann', token)).toBeUndefined();
  });

  it('refuses a renewal begun before a clear', () => {
    const bus = new SwitchableInvalidations();
    const s = setup(bus);
    const ticket = s.cache.ticket();
    bus.deliver(undefined);
    expect(s.cache.store('ann', { ...token, player: player('ann') }, ticket, s.now())).toBe(false);
  });

  it('stays bounded, and a forgotten invalidation still refuses the renewals it covered', () => {
    const t = 0;
    const bus = new SwitchableInvalidations();
    const cache = new SessionCache({
      invalidations: bus,
      renewEveryMs: 15_000,
      now: () => t,
      maxEntries: 2,
    });
    const early = cache.ticket();
    for (const name of ['a', 'b', 'c']) bus.deliver(name); // 'a' is forgotten
    expect(cache.store('a', { ...token, player: player('a') }, early, t)).toBe(false);
    for (const name of ['x', 'y', 'z'])
      cache.store(name, { ...token, player: player(name) }, cache.ticket(), t);
    expect(cache.size).toBe(2);
    expect(cache.lookup('x', token)).toBeUndefined();
    expect(cache.lookup('z', token)?.username).toBe('z');
  });
});
