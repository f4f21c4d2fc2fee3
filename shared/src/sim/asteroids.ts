// Asteroids: the opening field, waves that refill it, and splitting on a hit. Every random
// draw goes through the state's Rng so the field is the same for the same seed.
import {
  ASTEROID_SPEED,
  AsteroidSize,
  HEADINGS,
  HEIGHT,
  INITIAL_FIELD,
  MAX_ASTEROIDS,
  SAFE_DISTANCE,
  SPAWNS,
  WAVE_SIZE,
  WAVE_THRESHOLD,
  WIDTH,
} from './constants.js';
import { distanceSq, round, wrapX, wrapY } from './fixed.js';
import { freeId, insertById } from './ids.js';
import type { Rng } from './rng.js';
import { cos, sin, TRIG_ONE } from './trig.js';
import type { Asteroid, Ship } from './types.js';

/** The growing asteroid list of one step, and the id counter that goes with it. */
export interface AsteroidDraft {
  readonly list: Asteroid[];
  nextId: number;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

// Tries before a new asteroid settles for a spot near a ship: each try fails with p < 0.3,
// so 16 failures in a row (p < 1e-8) is all but impossible.
const PLACEMENT_TRIES = 16;

const farFromAll = (x: number, y: number, points: readonly Point[]): boolean =>
  points.every((p) => distanceSq(x, y, p.x, p.y) >= SAFE_DISTANCE * SAFE_DISTANCE);

/** A random spot at least SAFE_DISTANCE from every ship and spawn point. */
function placeAway(rng: Rng, ships: readonly Ship[]): Point {
  const avoid: Point[] = [...ships, ...SPAWNS];
  let x = 0;
  let y = 0;
  for (let i = 0; i < PLACEMENT_TRIES; i++) {
    x = rng.int(0, WIDTH - 1);
    y = rng.int(0, HEIGHT - 1);
    if (farFromAll(x, y, avoid)) break;
  }
  return { x, y };
}

/** A velocity of random direction, with the speed range of this size. */
function randomVelocity(rng: Rng, size: AsteroidSize): { vx: number; vy: number } {
  const heading = rng.int(0, HEADINGS - 1);
  const { min, max } = ASTEROID_SPEED[size];
  const speed = rng.int(min, max);
  return {
    vx: round((cos(heading) * speed) / TRIG_ONE),
    vy: round((sin(heading) * speed) / TRIG_ONE),
  };
}

/** Adds one asteroid at this spot unless the field is at its cap. */
function add(draft: AsteroidDraft, rng: Rng, at: Point, size: AsteroidSize): void {
  if (draft.list.length >= MAX_ASTEROIDS) return;
  const id = freeId(draft.nextId, draft.list);
  draft.nextId = (id + 1) % 0x1_0000;
  insertById(draft.list, { id, x: at.x, y: at.y, ...randomVelocity(rng, size), size });
}

/** The opening field (INITIAL_FIELD of each size), away from both ships. */
export function initialField(draft: AsteroidDraft, rng: Rng, ships: readonly Ship[]): void {
  INITIAL_FIELD.forEach((count, size) => {
    for (let i = 0; i < count; i++) add(draft, rng, placeAway(rng, ships), size as AsteroidSize);
  });
}

/** When the field runs low, a wave of large asteroids comes, away from both ships. */
export function refill(draft: AsteroidDraft, rng: Rng, ships: readonly Ship[]): void {
  if (draft.list.length >= WAVE_THRESHOLD) return;
  for (let i = 0; i < WAVE_SIZE; i++) add(draft, rng, placeAway(rng, ships), AsteroidSize.large);
}

/** Moves an asteroid one tick along its constant velocity. */
export const moveAsteroid = (a: Asteroid): Asteroid => ({
  // Every field spelled out: V8 builds this far faster than an object spread.
  id: a.id,
  x: wrapX(a.x + a.vx),
  y: wrapY(a.y + a.vy),
  vx: a.vx,
  vy: a.vy,
  size: a.size,
});

/** Removes a hit asteroid; unless it was small, two pieces one size down fly off from it. */
export function split(draft: AsteroidDraft, rng: Rng, hit: Asteroid): void {
  const at = draft.list.indexOf(hit);
  if (at >= 0) draft.list.splice(at, 1);
  if (hit.size === AsteroidSize.small) return;
  const size = (hit.size - 1) as AsteroidSize;
  add(draft, rng, hit, size);
  add(draft, rng, hit, size);
}
