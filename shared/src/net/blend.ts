// Interpolating between two snapshot views for drawing. Entities are matched by id; positions
// move the short way round the wrapping arena; anything new or gone snaps to the newer view.
import type { SnapshotView } from '../protocol/snapshot-view.js';
import { HEADINGS, HEIGHT, SUBUNITS, WIDTH } from '../sim/constants.js';
import type { Asteroid, Projectile, Ship } from '../sim/types.js';
import { lerpWrapped } from './interpolation.js';

type Positioned = { readonly id: number; readonly x: number; readonly y: number };

function moved<T extends Positioned>(a: T, b: T, alpha: number): T {
  return { ...b, x: lerpWrapped(a.x, b.x, alpha, WIDTH), y: lerpWrapped(a.y, b.y, alpha, HEIGHT) };
}

function blendList<T extends Positioned>(from: readonly T[], to: readonly T[], alpha: number): T[] {
  const before = new Map<number, T>();
  for (const e of from) before.set(e.id, e);
  return to.map((e) => {
    const was = before.get(e.id);
    return was ? moved(was, e, alpha) : e;
  });
}

function blendShip(a: Ship, b: Ship, alpha: number): Ship {
  // A ship that just died or respawned jumps: no sliding across the arena.
  if (a.respawnTicks > 0 !== b.respawnTicks > 0) return b;
  return { ...moved(a, b, alpha), heading: lerpWrapped(a.heading, b.heading, alpha, HEADINGS) };
}

export function blendViews(from: SnapshotView, to: SnapshotView, alpha: number): SnapshotView {
  if (alpha >= 1 || from === to) return to;
  return {
    tick: from.tick + (to.tick - from.tick) * alpha,
    ships: [
      blendShip(from.ships[0], to.ships[0], alpha),
      blendShip(from.ships[1], to.ships[1], alpha),
    ],
    asteroids: blendList<Asteroid>(from.asteroids, to.asteroids, alpha),
    projectiles: blendList<Projectile>(from.projectiles, to.projectiles, alpha),
  };
}

/** Distance between two ships in world units, the short way round. */
export function shipDistance(a: Ship, b: Ship): number {
  const wrap = (d: number, size: number) => Math.min(Math.abs(d), size - Math.abs(d));
  const dx = wrap(a.x - b.x, WIDTH);
  const dy = wrap(a.y - b.y, HEIGHT);
  return Math.sqrt(dx * dx + dy * dy) / SUBUNITS;
}
