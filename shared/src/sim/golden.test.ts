// Fixed-seed golden runs: scripted inputs, then a fingerprint of the state. If one of these
// fails, the simulation changed behaviour: old replays and mixed-version clients would
// diverge. Update the expected values only for an intended change of the game.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashState } from './hash.js';
import { Rng } from './rng.js';
import { createGame, outcome, step } from './step.js';
import type { GameState } from './types.js';

/** Bot-like play: each player holds a random set of buttons for 15 ticks at a time. */
function script(seed: number, ticks: number): [number, number][] {
  const rng = new Rng(seed);
  const out: [number, number][] = [];
  let held: [number, number] = [0, 0];
  for (let t = 0; t < ticks; t++) {
    if (t % 15 === 0) held = [rng.int(0, 15), rng.int(0, 15)];
    out.push(held);
  }
  return out;
}

function play(seed: number, inputs: readonly (readonly [number, number])[]): GameState[] {
  const states = [createGame(seed)];
  for (const buttons of inputs) states.push(step(states[states.length - 1]!, buttons));
  return states;
}

const summary = (s: GameState) => ({
  tick: s.tick,
  lives: s.ships.map((ship) => ship.lives),
  scores: s.ships.map((ship) => ship.score),
  asteroids: s.asteroids.length,
  projectiles: s.projectiles.length,
  stats: s.stats,
  outcome: outcome(s),
});

describe('golden runs', () => {
  it('seed 12345, 3,600 ticks of scripted play', () => {
    const states = play(12345, script(18, 3_600));
    const at = (tick: number) => hashState(states[tick]!).toString(16);
    expect([at(600), at(1_800), at(3_600)]).toEqual(['8c8641a7', 'c50b2e82', '953431c7']);
    expect(summary(states[3_600]!)).toEqual({
      tick: 3_600,
      lives: [1, 3],
      scores: [2_930, 3_250],
      asteroids: 12,
      projectiles: 6,
      stats: [
        { shotsFired: 194, hits: 0, asteroidsDestroyed: 36 },
        { shotsFired: 205, hits: 1, asteroidsDestroyed: 41 },
      ],
      outcome: undefined,
    });
  });
  it('seed 7, a whole match of scripted play (it ends on lives)', () => {
    const states = play(7, script(99, 10_800));
    const last = states[states.length - 1]!;
    expect(hashState(last).toString(16)).toBe('f686b269');
    expect(summary(last)).toEqual({
      tick: 878,
      lives: [1, 0],
      scores: [910, 590],
      asteroids: 23,
      projectiles: 5,
      stats: [
        { shotsFired: 40, hits: 0, asteroidsDestroyed: 13 },
        { shotsFired: 41, hits: 0, asteroidsDestroyed: 9 },
      ],
      outcome: { winnerSlot: 0, reason: 'lives' },
    });
  });
});

describe('determinism (property)', () => {
  it('same seed and same inputs give identical states', () => {
    const buttons = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }));
    fc.assert(
      fc.property(fc.nat(), fc.array(buttons, { maxLength: 400 }), (seed, inputs) => {
        const a = play(seed, inputs);
        const b = play(seed, inputs);
        expect(b).toEqual(a);
        expect(b.map(hashState)).toEqual(a.map(hashState));
      }),
      { numRuns: 100 },
    );
  });
});
