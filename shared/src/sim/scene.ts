// Hand-built states for tests and benchmarks: a quiet arena where only what a test places
// can collide. Positions here are in world units for readability.
import { Button } from '../protocol/codes.js';
import { AsteroidSize, SUBUNITS } from './constants.js';
import { spawnShip } from './ship.js';
import { createGame } from './step.js';
import type { Asteroid, GameState, Projectile, Ship } from './types.js';
import type { Slot } from '../protocol/codes.js';

/** World units to subunits. */
export const units = (n: number): number => n * SUBUNITS;

/**
 * Eight still, small asteroids in a row along the bottom edge, far from both spawn points:
 * enough to keep waves from coming, out of the way of a test's own objects.
 */
export function fillers(): Asteroid[] {
  return Array.from({ length: 8 }, (_, i) => ({
    id: 1000 + i,
    x: units(560 + i * 60),
    y: units(880),
    vx: 0,
    vy: 0,
    size: AsteroidSize.small,
  }));
}

const isFiller = (a: Asteroid): boolean => a.id >= 1000 && a.id < 1008;

/** The asteroids a test placed (or their pieces), without the fillers. */
export const placed = (list: readonly Asteroid[]): Asteroid[] => list.filter((a) => !isFiller(a));

export function ship(slot: Slot, fields: Partial<Ship> = {}): Ship {
  return { ...spawnShip(slot), ...fields };
}

export function asteroid(id: number, fields: Partial<Asteroid> = {}): Asteroid {
  return { id, x: units(800), y: units(200), vx: 0, vy: 0, size: AsteroidSize.large, ...fields };
}

export function projectile(id: number, owner: Slot, fields: Partial<Projectile> = {}): Projectile {
  return { id, owner, x: units(800), y: units(450), vx: 0, vy: 0, ttl: 60, ...fields };
}

/** A quiet state: both ships at spawn, only the fillers, plus whatever `parts` replaces. */
export function scene(parts: Partial<GameState> = {}): GameState {
  const base = createGame(1);
  const asteroids = [...(parts.asteroids ?? []), ...fillers()].sort((a, b) => a.id - b.id);
  return { ...base, nextAsteroidId: 2000, nextProjectileId: 100, ...parts, asteroids };
}

/** Buttons for a slot, as the tuple step() takes. */
export const press = (slot: Slot, buttons: number): readonly [number, number] =>
  slot === 0 ? [buttons, 0] : [0, buttons];

export const ALL_BUTTONS = Button.thrust | Button.left | Button.right | Button.fire;
