// Firing and projectile flight. A projectile flies in a straight line at a constant
// velocity until its ttl runs out, so clients can extrapolate it exactly.
import { Button } from '../protocol/codes.js';
import {
  FIRE_INTERVAL,
  MAX_PROJECTILES_PER_SHIP,
  PROJECTILE_SPEED,
  PROJECTILE_TTL,
  SHIP_RADIUS,
  SHIP_VELOCITY_SCALE,
} from './constants.js';
import { round, wrapX, wrapY } from './fixed.js';
import { freeId, insertById } from './ids.js';
import { isAlive } from './ship.js';
import { cos, sin, TRIG_ONE } from './trig.js';
import type { Projectile, Ship } from './types.js';

/** The growing projectile list of one step, and the id counter that goes with it. */
export interface ProjectileDraft {
  readonly list: Projectile[];
  nextId: number;
}

/** One tick of flight; undefined once its time is up. */
export function moveProjectile(p: Projectile): Projectile | undefined {
  if (p.ttl <= 1) return undefined;
  const { id, owner, vx, vy } = p;
  return { id, owner, x: wrapX(p.x + vx), y: wrapY(p.y + vy), vx, vy, ttl: p.ttl - 1 };
}

const liveShotsOf = (list: readonly Projectile[], ship: Ship): number =>
  list.reduce((n, p) => n + (p.owner === ship.id ? 1 : 0), 0);

/** Whether this ship fires this tick: fire held, in play, cooled down, under the live cap. */
export function canFire(ship: Ship, buttons: number, list: readonly Projectile[]): boolean {
  return (
    (buttons & Button.fire) !== 0 &&
    isAlive(ship) &&
    ship.fireCooldown === 0 &&
    liveShotsOf(list, ship) < MAX_PROJECTILES_PER_SHIP
  );
}

/**
 * Adds a projectile at the ship's nose, moving at the muzzle speed plus the ship's own
 * velocity, and returns the ship with its cooldown started.
 */
export function fire(ship: Ship, draft: ProjectileDraft): Ship {
  const c = cos(ship.heading);
  const s = sin(ship.heading);
  const id = freeId(draft.nextId, draft.list);
  draft.nextId = (id + 1) % 0x1_0000;
  insertById(draft.list, {
    id,
    owner: ship.id,
    x: wrapX(ship.x + round((c * SHIP_RADIUS) / TRIG_ONE)),
    y: wrapY(ship.y + round((s * SHIP_RADIUS) / TRIG_ONE)),
    vx: round(ship.vx / SHIP_VELOCITY_SCALE) + round((c * PROJECTILE_SPEED) / TRIG_ONE),
    vy: round(ship.vy / SHIP_VELOCITY_SCALE) + round((s * PROJECTILE_SPEED) / TRIG_ONE),
    ttl: PROJECTILE_TTL,
  });
  return { ...ship, fireCooldown: FIRE_INTERVAL };
}
