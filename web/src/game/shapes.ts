// Vector outlines, in world units around the object's centre. An asteroid's outline is seeded
// by its id, so the same rock keeps the same jagged shape in every frame and on both screens.
import { ASTEROID_RADIUS, SUBUNITS } from '../../../shared/src/sim/constants.js';
import { Rng } from '../../../shared/src/sim/rng.js';

export type Outline = readonly (readonly [number, number])[];

export interface RockShape {
  outline: Outline;
  /** A few craters: [x, y, r]. */
  craters: readonly (readonly [number, number, number])[];
  /** Radians per tick: rocks turn slowly, each its own way. */
  spin: number;
  phase: number;
}

const cache = new Map<number, RockShape>();

/** The rock for asteroid `id` of `size` (ids are reused, so the size is part of the key). */
export function rockShape(id: number, size: number): RockShape {
  const key = id * 4 + size;
  const hit = cache.get(key);
  if (hit) return hit;
  const rng = new Rng(key * 2654435761);
  const radius = (ASTEROID_RADIUS[size as 0 | 1 | 2] ?? ASTEROID_RADIUS[0]) / SUBUNITS;
  const corners = 9 + rng.int(0, 4) + size * 2;
  const outline: [number, number][] = [];
  for (let i = 0; i < corners; i++) {
    const a = ((i + rng.int(0, 40) / 100) / corners) * Math.PI * 2;
    const r = radius * (0.72 + rng.int(0, 38) / 100);
    outline.push([Math.cos(a) * r, Math.sin(a) * r]);
  }
  const craters: [number, number, number][] = [];
  for (let i = 0; i < 1 + size; i++) {
    const a = rng.int(0, 628) / 100;
    const d = (radius * rng.int(15, 50)) / 100;
    craters.push([Math.cos(a) * d, Math.sin(a) * d, (radius * rng.int(10, 20)) / 100]);
  }
  const shape = {
    outline,
    craters,
    spin: ((rng.int(0, 1) ? 1 : -1) * rng.int(3, 14)) / 1000,
    phase: rng.int(0, 628) / 100,
  };
  if (cache.size > 4096) cache.clear(); // ids wrap at u16; a long session must not grow forever
  cache.set(key, shape);
  return shape;
}

/** The ship, nose along +x (heading 0), about the size of SHIP_RADIUS (12 units). */
export const SHIP_OUTLINE: Outline = [
  [17, 0],
  [-11, 10],
  [-6, 0],
  [-11, -10],
];

/** Colours per slot: cyan for slot 0, amber for slot 1. */
export const SLOT_COLOURS = [
  { main: '#4de8ff', glow: 'rgba(77, 232, 255, 0.55)', dim: 'rgba(77, 232, 255, 0.25)' },
  { main: '#ffb347', glow: 'rgba(255, 179, 71, 0.55)', dim: 'rgba(255, 179, 71, 0.25)' },
] as const;

export function tracePath(ctx: CanvasRenderingContext2D, outline: Outline): void {
  ctx.beginPath();
  outline.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.closePath();
}
