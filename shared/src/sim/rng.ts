// Mulberry32: a tiny seeded generator whose whole state is one u32 kept in GameState, so a
// replay from the same seed and inputs draws the same numbers. Math.imul and the bit
// operators are exact 32-bit integer operations on every engine.

/** A generator cursor, local to one step: it starts from the state's seed and ends as the next one. */
export class Rng {
  constructor(public seed: number) {}

  /** The next u32. */
  next(): number {
    this.seed = (this.seed + 0x6d2b79f5) >>> 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor((this.next() / 0x1_0000_0000) * (max - min + 1));
  }
}

/** Any number becomes a u32 seed (so every seed the room picks is valid). */
export const seedOf = (seed: number): number => (Number.isFinite(seed) ? seed >>> 0 : 0);
