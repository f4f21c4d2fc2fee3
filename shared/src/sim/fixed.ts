// Integer helpers for the simulation. Only +, −, ×, ÷ and Math.floor/round/abs/min/max/sqrt
// are used: ECMAScript specifies them exactly, so every engine gets the same bits. The
// `+ 0` turns a −0 into 0, so states compare equal with Object.is (and toEqual).
import { HEADINGS, HEIGHT, WIDTH } from './constants.js';

/** Rounds half up to an integer (never −0). */
export const round = (v: number): number => Math.round(v) + 0;

/** Drops the fraction toward zero (never −0): drag must shrink a velocity, not flip it. */
export const trunc = (v: number): number => (v < 0 ? -Math.floor(-v) : Math.floor(v)) + 0;

/** v mod size, in [0, size): the arena wraps on every edge. */
export const wrap = (v: number, size: number): number => ((v % size) + size) % size;

export const wrapX = (x: number): number => wrap(x, WIDTH);
export const wrapY = (y: number): number => wrap(y, HEIGHT);
export const wrapHeading = (h: number): number => wrap(h, HEADINGS);

/** Shortest signed difference b − a on a wrapping axis; a and b are in [0, size). */
export function torusDelta(a: number, b: number, size: number): number {
  // No modulo: this runs for every projectile–asteroid pair on every tick.
  const d = b - a;
  if (d > size / 2) return d - size;
  if (d < -size / 2) return d + size;
  return d;
}

/** Squared distance between two points of the arena (wrapped coordinates), in subunits². */
export function distanceSq(ax: number, ay: number, bx: number, by: number): number {
  const dx = torusDelta(ax, bx, WIDTH);
  const dy = torusDelta(ay, by, HEIGHT);
  return dx * dx + dy * dy;
}

/** Whether two wrapped points are within `reach` of each other (cheap reject on x first). */
export function within(ax: number, ay: number, bx: number, by: number, reach: number): boolean {
  const dx = torusDelta(ax, bx, WIDTH);
  if (dx > reach || dx < -reach) return false;
  const dy = torusDelta(ay, by, HEIGHT);
  return dx * dx + dy * dy <= reach * reach;
}
