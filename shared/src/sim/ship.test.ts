import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Button } from '../protocol/codes.js';
import {
  HEIGHT,
  INVULN_TICKS,
  RESPAWN_TICKS,
  SHIP_VELOCITY_SCALE,
  SPAWNS,
  THRUST,
  TURN_RATE,
  WIDTH,
} from './constants.js';
import { ship } from './scene.js';
import { coast, destroyShip, isAlive, isVulnerable, stepShip, tickTimers } from './ship.js';
import type { Ship } from './types.js';

const run = (s: Ship, buttons: number, ticks: number): Ship => {
  let out = s;
  for (let i = 0; i < ticks; i++) out = stepShip(out, buttons);
  return out;
};

describe('stepShip: movement of one ship', () => {
  it('turns by TURN_RATE per tick, wrapping the heading', () => {
    expect(stepShip(ship(0, { heading: 0 }), Button.right).heading).toBe(TURN_RATE);
    expect(stepShip(ship(0, { heading: 0 }), Button.left).heading).toBe(256 - TURN_RATE);
    expect(stepShip(ship(0, { heading: 9 }), Button.left | Button.right).heading).toBe(9);
  });
  it('thrusts along its heading', () => {
    const east = stepShip(ship(0, { heading: 0 }), Button.thrust);
    expect(east.vx).toBeGreaterThan(0);
    expect(east.vy).toBe(0);
    const down = stepShip(ship(0, { heading: 64 }), Button.thrust);
    expect(down.vx).toBe(0);
    expect(down.vy).toBeGreaterThan(0);
    expect(down.vy).toBeLessThanOrEqual(THRUST);
  });
  it('keeps inertia, and drag brings it to a full stop', () => {
    const moving = run(ship(0, { heading: 0 }), Button.thrust, 30);
    const coasting = stepShip(moving, 0);
    expect(coasting.vx).toBeGreaterThan(0);
    expect(coasting.vx).toBeLessThan(moving.vx);
    expect(coasting.x).toBeGreaterThan(moving.x);
    const stopped = run(moving, 0, 2_000);
    expect([stopped.vx, stopped.vy]).toEqual([0, 0]);
  });
  it('has a top speed (drag balances thrust)', () => {
    const fast = run(ship(0), Button.thrust, 2_000);
    expect(Math.abs(fast.vx)).toBeLessThan(64 * THRUST);
    expect(run(fast, Button.thrust, 1).vx).toBe(fast.vx);
  });
  it('wraps on all four edges', () => {
    const step = 4 * SHIP_VELOCITY_SCALE; // 4 subunits per tick
    const cases = [
      { from: { x: WIDTH - 2, vx: step * 2 }, to: { x: 6 } },
      { from: { x: 1, vx: -step * 2 }, to: { x: WIDTH - 7 } },
      { from: { y: HEIGHT - 2, vy: step * 2 }, to: { y: 6 } },
      { from: { y: 1, vy: -step * 2 }, to: { y: HEIGHT - 7 } },
    ];
    for (const { from, to } of cases) {
      // Drag keeps 63/64 of the speed first: 128 → 126 in 1/256 units is 8 subunits (rounded).
      expect(stepShip(ship(0, { ...from }), 0)).toMatchObject(to);
    }
  });
  it('does not move while destroyed, and returns the same object', () => {
    const dead = destroyShip(ship(0, { vx: 300 }));
    expect(stepShip(dead, Button.thrust | Button.left)).toBe(dead);
  });
  it('never changes its input', () => {
    const s = Object.freeze(ship(1));
    const before = { ...s };
    stepShip(s, Button.thrust | Button.right);
    expect(s).toEqual(before);
  });
});

describe('coast', () => {
  it('is stepShip with no buttons, repeated (property)', () => {
    const anyShip = fc.record({
      x: fc.integer({ min: 0, max: WIDTH - 1 }),
      y: fc.integer({ min: 0, max: HEIGHT - 1 }),
      vx: fc.integer({ min: -0x8000, max: 0x7fff }),
      vy: fc.integer({ min: -0x8000, max: 0x7fff }),
      lives: fc.integer({ min: 0, max: 3 }),
      respawnTicks: fc.constantFrom(0, 0, 5),
    });
    fc.assert(
      fc.property(anyShip, fc.integer({ min: 0, max: 300 }), (fields, ticks) => {
        const s = ship(0, fields);
        expect(coast(s, ticks)).toEqual(run(s, 0, ticks));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ship life cycle', () => {
  it('a destroyed ship loses a life, stops, and waits to respawn', () => {
    const hit = destroyShip(ship(1, { vx: 500, vy: -20, fireCooldown: 4 }));
    expect(hit).toMatchObject({ lives: 2, vx: 0, vy: 0, respawnTicks: RESPAWN_TICKS });
    expect(isAlive(hit)).toBe(false);
  });
  it('the last life lost leaves the ship out for good', () => {
    const out = destroyShip(ship(0, { lives: 1 }));
    expect(out).toMatchObject({ lives: 0, respawnTicks: 0 });
    expect(isAlive(out)).toBe(false);
  });
  it('respawns at its spawn point with invulnerability after RESPAWN_TICKS', () => {
    let s = destroyShip(ship(1, { x: 5, y: 5, heading: 3, score: 70 }));
    for (let i = 0; i < RESPAWN_TICKS - 1; i++) s = tickTimers(s);
    expect(isAlive(s)).toBe(false);
    s = tickTimers(s);
    expect(s).toMatchObject({ ...SPAWNS[1], lives: 2, score: 70, invulnTicks: INVULN_TICKS });
    expect(isAlive(s) && !isVulnerable(s)).toBe(true);
    for (let i = 0; i < INVULN_TICKS; i++) s = tickTimers(s);
    expect(isVulnerable(s)).toBe(true);
  });
  it('timers count down to zero and stop there', () => {
    const s = tickTimers(ship(0, { invulnTicks: 1, fireCooldown: 2 }));
    expect(s).toMatchObject({ invulnTicks: 0, fireCooldown: 1 });
    const idle = ship(0);
    expect(tickTimers(idle)).toBe(idle);
  });
});
