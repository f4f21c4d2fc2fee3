// Collisions of one step, on the drafts step() builds. Order matters and is fixed:
// projectiles against asteroids, then projectiles against ships, then ships against
// asteroids, each in ascending id order, so every engine resolves a tick the same way.
import { ASTEROID_POINTS, ASTEROID_RADIUS, HIT_POINTS, SHIP_RADIUS } from './constants.js';
import { within as touches } from './fixed.js';
import { split, type AsteroidDraft } from './asteroids.js';
import type { ProjectileDraft } from './projectiles.js';
import type { Rng } from './rng.js';
import { destroyShip, isVulnerable } from './ship.js';
import type { Asteroid, Projectile, Ship, ShotStats } from './types.js';

/** The mutable working copy of one step; step() freezes it into the next GameState. */
export interface Draft {
  readonly ships: [Ship, Ship];
  readonly stats: [ShotStats, ShotStats];
  readonly asteroids: AsteroidDraft;
  readonly projectiles: ProjectileDraft;
  readonly rng: Rng;
}

const pointInAsteroid = (p: Projectile, a: Asteroid): boolean =>
  touches(p.x, p.y, a.x, a.y, ASTEROID_RADIUS[a.size]);

function firstAsteroid(list: readonly Asteroid[], p: Projectile): Asteroid | undefined {
  for (const a of list) if (pointInAsteroid(p, a)) return a;
  return undefined;
}

function removeProjectile(d: Draft, p: Projectile): void {
  d.projectiles.list.splice(d.projectiles.list.indexOf(p), 1);
}

function credit(d: Draft, p: Projectile, points: number, stat: 'hits' | 'asteroidsDestroyed') {
  const owner = d.ships[p.owner];
  d.ships[p.owner] = { ...owner, score: owner.score + points };
  const stats = d.stats[p.owner];
  d.stats[p.owner] = { ...stats, [stat]: stats[stat] + 1 };
}

/** A projectile that touches an asteroid is spent; the asteroid splits; the owner scores. */
function projectilesHitAsteroids(d: Draft): void {
  for (const p of [...d.projectiles.list]) {
    const hit = firstAsteroid(d.asteroids.list, p);
    if (!hit) continue;
    removeProjectile(d, p);
    split(d.asteroids, d.rng, hit);
    credit(d, p, ASTEROID_POINTS[hit.size], 'asteroidsDestroyed');
  }
}

/** A projectile hits only the opponent's ship, and only while it is vulnerable. */
function projectilesHitShips(d: Draft): void {
  for (const p of [...d.projectiles.list]) {
    const target = d.ships[p.owner === 0 ? 1 : 0];
    if (!isVulnerable(target) || !touches(p.x, p.y, target.x, target.y, SHIP_RADIUS)) continue;
    removeProjectile(d, p);
    d.ships[target.id] = destroyShip(target);
    credit(d, p, HIT_POINTS, 'hits');
  }
}

/** A vulnerable ship that touches an asteroid is destroyed and the asteroid splits. */
function shipsHitAsteroids(d: Draft): void {
  for (const ship of [...d.ships]) {
    if (!isVulnerable(ship)) continue;
    const reach = (a: Asteroid) => SHIP_RADIUS + ASTEROID_RADIUS[a.size];
    const hit = d.asteroids.list.find((a) => touches(ship.x, ship.y, a.x, a.y, reach(a)));
    if (!hit) continue;
    d.ships[ship.id] = destroyShip(ship);
    split(d.asteroids, d.rng, hit);
  }
}

export function resolveCollisions(d: Draft): void {
  projectilesHitAsteroids(d);
  projectilesHitShips(d);
  shipsHitAsteroids(d);
}
