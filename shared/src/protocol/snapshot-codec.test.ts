import { describe, expect, it } from 'vitest';
import { Button } from './codes.js';
import {
  HEIGHT,
  INVULN_TICKS,
  MAX_ASTEROIDS,
  MAX_PROJECTILES,
  PROJECTILE_TTL,
  RESPAWN_TICKS,
  FIRE_INTERVAL,
  START_LIVES,
  WIDTH,
} from '../sim/constants.js';
import { createGame, step } from '../sim/step.js';
import type { Asteroid, GameState, Projectile, Ship } from '../sim/types.js';
import { decodeSnapshot, encodeSnapshot, MAX_SNAPSHOT_BYTES } from './snapshot-codec.js';
import { viewOf, type SnapshotView } from './snapshot-view.js';

const run = (s: GameState, ticks: number, buttons: readonly [number, number] = [0, 0]) => {
  let out = s;
  for (let i = 0; i < ticks; i++) out = step(out, buttons);
  return out;
};
const header = { ackInputSeq: 77 };
const pickView = ({ tick, ships, asteroids, projectiles }: GameState) => ({
  tick,
  ships,
  asteroids,
  projectiles,
});
const only = (view: SnapshotView) => (tick: number) => (tick === view.tick ? view : undefined);

describe('snapshot round trip', () => {
  it('a full snapshot decodes to exactly the server view', () => {
    const s = run(createGame(5), 200, [Button.thrust | Button.fire, Button.left | Button.fire]);
    const bytes = encodeSnapshot(viewOf(s), undefined, header);
    expect(decodeSnapshot(bytes)).toEqual({
      ok: true,
      msg: { type: 'snapshot', view: viewOf(s), baselineTick: 0, ackInputSeq: 77 },
    });
  });
  it('a delta against an acknowledged view decodes to exactly the server view', () => {
    const base = run(createGame(6), 100, [Button.fire, Button.thrust]);
    const now = run(base, 8, [Button.thrust | Button.right, Button.fire]);
    const bytes = encodeSnapshot(viewOf(now), viewOf(base), header);
    expect(decodeSnapshot(bytes, only(viewOf(base)))).toEqual({
      ok: true,
      msg: { type: 'snapshot', view: viewOf(now), baselineTick: base.tick, ackInputSeq: 77 },
    });
  });
  it('the view of a state is its own entities, and the same object each time', () => {
    const s = run(createGame(4), 20, [Button.fire, 0]);
    const v = viewOf(s);
    expect(v).toEqual({ ...pickView(s) });
    expect(v.asteroids).toBe(s.asteroids);
    expect(viewOf(s)).toBe(v);
  });
  it('drifting asteroids and flying projectiles cost nothing in a delta', () => {
    const base = run(createGame(6), 30, [Button.fire, 0]);
    const now = run(base, 6);
    expect(now.projectiles.length).toBeGreaterThan(0);
    // code, flags, tick, age, ack, then an empty change mask for each ship
    expect(encodeSnapshot(viewOf(now), viewOf(base), header)).toHaveLength(11 + 2);
  });
  it('falls back to a full snapshot for a baseline at tick 0 or older than 255 ticks', () => {
    const s0 = createGame(1);
    const later = run(s0, 300);
    const full = encodeSnapshot(viewOf(later), undefined, header);
    expect(encodeSnapshot(viewOf(later), viewOf(run(s0, 40)), header)).toEqual(full);
    expect(encodeSnapshot(viewOf(run(s0, 2)), viewOf(s0), header)).toEqual(
      encodeSnapshot(viewOf(run(s0, 2)), undefined, header),
    );
  });
});

describe('snapshot baselines', () => {
  const base = run(createGame(3), 50);
  const now = run(base, 4, [Button.thrust, 0]);
  const delta = encodeSnapshot(viewOf(now), viewOf(base), header);
  it('a delta against a view the client does not hold is unknown_baseline', () => {
    expect(decodeSnapshot(delta)).toEqual({ ok: false, error: 'unknown_baseline' });
    expect(decodeSnapshot(delta, () => undefined)).toEqual({
      ok: false,
      error: 'unknown_baseline',
    });
  });
  it('a view of another tick is not taken for the baseline', () => {
    expect(decodeSnapshot(delta, () => viewOf(now))).toEqual({
      ok: false,
      error: 'unknown_baseline',
    });
  });
  it('a baseline that is not older than the view gives a full snapshot', () => {
    // A client can acknowledge any tick; the server must not trip over a bogus one.
    const full = encodeSnapshot(viewOf(base), undefined, header);
    expect(encodeSnapshot(viewOf(base), viewOf(now), header)).toEqual(full);
    expect(encodeSnapshot(viewOf(base), viewOf(base), header)).toEqual(full);
  });
});

describe('snapshot encoder refuses views it cannot represent', () => {
  const v = viewOf(run(createGame(2), 10));
  const bad: [string, SnapshotView][] = [
    ['unsorted asteroids', { ...v, asteroids: [...v.asteroids].reverse() }],
    ['x outside the arena', { ...v, ships: [{ ...v.ships[0], x: WIDTH }, v.ships[1]] }],
    ['ship in the wrong slot', { ...v, ships: [v.ships[1], v.ships[0]] }],
    ['over the asteroid cap', { ...v, asteroids: asteroids(MAX_ASTEROIDS + 1) }],
    ['non-integer field', { ...v, ships: [{ ...v.ships[0], vx: 0.5 }, v.ships[1]] }],
  ];
  for (const [what, view] of bad) {
    it(what, () => expect(() => encodeSnapshot(view, undefined, header)).toThrow(RangeError));
  }
});

// The largest scene there can be, every field at an extreme.
function extremeShip(id: 0 | 1, flip: boolean): Ship {
  return {
    id,
    x: flip ? 1 : WIDTH - 1,
    y: flip ? 1 : HEIGHT - 1,
    vx: flip ? 0x7fff : -0x8000,
    vy: flip ? -0x8000 : 0x7fff,
    heading: flip ? 1 : 255,
    lives: flip ? 1 : START_LIVES,
    score: flip ? 1 : 0xffff_ffff,
    invulnTicks: flip ? 1 : INVULN_TICKS,
    respawnTicks: flip ? 1 : RESPAWN_TICKS,
    fireCooldown: flip ? 1 : FIRE_INTERVAL,
  };
}
function asteroids(n: number, firstId = 0xffff - n + 1): Asteroid[] {
  return Array.from({ length: n }, (_, i) => ({
    id: firstId + i,
    x: WIDTH - 1,
    y: HEIGHT - 1,
    vx: -128,
    vy: 127,
    size: 2,
  }));
}
function projectiles(n: number, firstId = 0xffff - n + 1): Projectile[] {
  return Array.from({ length: n }, (_, i) => ({
    id: firstId + i,
    owner: 1,
    x: WIDTH - 1,
    y: HEIGHT - 1,
    vx: -0x8000,
    vy: 0x7fff,
    ttl: PROJECTILE_TTL,
  }));
}
const maxed = (tick: number, flip: boolean, firstId?: number): SnapshotView => ({
  tick,
  ships: [extremeShip(0, flip), extremeShip(1, flip)],
  asteroids: asteroids(MAX_ASTEROIDS, firstId),
  projectiles: projectiles(MAX_PROJECTILES, firstId),
});

describe('every snapshot fits one datagram', () => {
  it('the bound is under 1200 bytes', () => {
    expect(MAX_SNAPSHOT_BYTES).toBe(717);
    expect(MAX_SNAPSHOT_BYTES).toBeLessThan(1200);
  });
  it('worst full snapshot: every cap maxed, every field at an extreme', () => {
    const view = maxed(0xffff_ffff, false);
    const bytes = encodeSnapshot(view, undefined, { ackInputSeq: 0xffff_ffff });
    expect(bytes.length).toBe(605);
    expect(decodeSnapshot(bytes)).toMatchObject({ ok: true, msg: { view } });
  });
  it('worst delta: every field of both ships changed, every entity removed and replaced', () => {
    // 59 ticks back: the baseline's projectiles (ttl 60) are still alive, so removing them costs.
    const base = maxed(1196, true, 0);
    const view = maxed(1255, false, 100);
    const bytes = encodeSnapshot(view, base, { ackInputSeq: 0xffff_ffff });
    expect(bytes.length).toBe(MAX_SNAPSHOT_BYTES);
    expect(decodeSnapshot(bytes, only(base))).toMatchObject({ ok: true, msg: { view } });
  });
});
