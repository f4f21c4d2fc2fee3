// Random valid snapshot views, drawn from a seed: for codec property tests and benchmarks.
// A `successor` view shares entities with its predecessor (some kept, changed, removed or
// new), which exercises every path of a delta.
import {
  FIRE_INTERVAL,
  HEADINGS,
  HEIGHT,
  INVULN_TICKS,
  MAX_ASTEROIDS,
  MAX_PROJECTILES,
  PROJECTILE_TTL,
  RESPAWN_TICKS,
  START_LIVES,
  WIDTH,
  type AsteroidSize,
} from '../sim/constants.js';
import { Rng } from '../sim/rng.js';
import type { Asteroid, Projectile, Ship } from '../sim/types.js';
import type { Slot } from './codes.js';
import { extrapolate, type SnapshotView } from './snapshot-view.js';

const chance = (rng: Rng, percent: number) => rng.int(0, 99) < percent;

function ship(rng: Rng, id: Slot): Ship {
  return {
    id,
    x: rng.int(0, WIDTH - 1),
    y: rng.int(0, HEIGHT - 1),
    vx: rng.int(-0x8000, 0x7fff),
    vy: rng.int(-2000, 2000),
    heading: rng.int(0, HEADINGS - 1),
    lives: rng.int(0, START_LIVES),
    score: chance(rng, 20) ? rng.int(0, 0xffff_ffff) : rng.int(0, 3000),
    invulnTicks: chance(rng, 30) ? rng.int(0, INVULN_TICKS) : 0,
    respawnTicks: chance(rng, 30) ? rng.int(0, RESPAWN_TICKS) : 0,
    fireCooldown: rng.int(0, FIRE_INTERVAL),
  };
}

const asteroid = (rng: Rng, id: number): Asteroid => ({
  id,
  x: rng.int(0, WIDTH - 1),
  y: rng.int(0, HEIGHT - 1),
  vx: rng.int(-128, 127),
  vy: rng.int(-40, 40),
  size: rng.int(0, 2) as AsteroidSize,
});

const projectile = (rng: Rng, id: number): Projectile => ({
  id,
  owner: rng.int(0, 1) as Slot,
  x: rng.int(0, WIDTH - 1),
  y: rng.int(0, HEIGHT - 1),
  vx: rng.int(-0x8000, 0x7fff),
  vy: rng.int(-300, 300),
  ttl: rng.int(1, PROJECTILE_TTL),
});

/** Up to `cap` entities with distinct random ids, sorted by id. */
function entities<T extends { id: number }>(
  rng: Rng,
  cap: number,
  make: (r: Rng, id: number) => T,
) {
  const ids = new Set<number>();
  const count = rng.int(0, cap);
  while (ids.size < count) ids.add(chance(rng, 50) ? rng.int(0, 100) : rng.int(0, 0xffff));
  return [...ids].sort((a, b) => a - b).map((id) => make(rng, id));
}

export function randomView(seed: number): SnapshotView {
  const rng = new Rng(seed);
  const tick = rng.int(0, chance(rng, 10) ? 0xffff_ffff : 20_000);
  return {
    tick,
    ships: [ship(rng, 0), ship(rng, 1)],
    asteroids: entities(rng, MAX_ASTEROIDS, asteroid),
    projectiles: entities(rng, MAX_PROJECTILES, projectile),
  };
}

/**
 * A view `ticks` after `base` (1–300): the base extrapolated, then some entities dropped,
 * some changed at random, some new ones added (within the caps), and the ships changed.
 */
export function successor(base: SnapshotView, ticks: number, seed: number): SnapshotView {
  const rng = new Rng(seed);
  const next = extrapolate(base, ticks);
  const evolve = <T extends { id: number }>(
    list: readonly T[],
    cap: number,
    make: (r: Rng, id: number) => T,
  ) => {
    const kept = list
      .filter(() => !chance(rng, 20))
      .map((e) =>
        chance(rng, 20) ? { ...make(rng, e.id), ...(chance(rng, 50) ? { x: e.id % 100 } : {}) } : e,
      );
    const fresh = entities(rng, cap - kept.length, make).filter(
      (e) => !kept.some((k) => k.id === e.id),
    );
    return [...kept, ...fresh].sort((a, b) => a.id - b.id);
  };
  const ships = next.ships.map((s) =>
    chance(rng, 50) ? s : { ...s, ...pick(ship(rng, s.id), rng) },
  );
  return {
    ...next,
    ships: [ships[0] ?? next.ships[0], ships[1] ?? next.ships[1]],
    asteroids: evolve(next.asteroids, MAX_ASTEROIDS, asteroid),
    projectiles: evolve(next.projectiles, MAX_PROJECTILES, projectile),
  };
}

/** A random subset of a ship's fields (so deltas carry some groups, not all). */
function pick(s: Ship, rng: Rng): Partial<Ship> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(s) as [string, number][])
    if (key !== 'id' && chance(rng, 40)) out[key] = value;
  return out;
}
