import { describe, expect, it } from 'vitest';
import { Button } from '../protocol/codes.js';
import {
  AsteroidSize,
  FIRE_INTERVAL,
  INITIAL_FIELD,
  MATCH_TICKS,
  MAX_PROJECTILES_PER_SHIP,
  PROJECTILE_TTL,
  SAFE_DISTANCE,
  SPAWNS,
  WAVE_SIZE,
} from './constants.js';
import { distanceSq } from './fixed.js';
import { ALL_BUTTONS, fillers, placed, press, projectile, scene, ship, units } from './scene.js';
import { stepShip } from './ship.js';
import { createGame, outcome, playerStats, step } from './step.js';
import type { GameState } from './types.js';

const run = (s: GameState, buttons: readonly [number, number], ticks: number) => {
  let out = s;
  for (let i = 0; i < ticks; i++) out = step(out, buttons);
  return out;
};

const sortedIds = (list: readonly { id: number }[]) =>
  list.every((e, i) => i === 0 || (list[i - 1]?.id ?? -1) < e.id);

describe('createGame', () => {
  it('opens with the standard field of 24, away from both ships, sorted by id', () => {
    for (let seed = 0; seed < 50; seed++) {
      const s = createGame(seed);
      expect(s.asteroids).toHaveLength(24);
      for (const size of [0, 1, 2] as const) {
        expect(s.asteroids.filter((a) => a.size === size)).toHaveLength(INITIAL_FIELD[size]);
      }
      for (const a of s.asteroids) {
        for (const p of SPAWNS)
          expect(distanceSq(a.x, a.y, p.x, p.y)).toBeGreaterThanOrEqual(SAFE_DISTANCE ** 2);
      }
      expect(sortedIds(s.asteroids)).toBe(true);
    }
  });
  it('depends on the seed, and only on the seed', () => {
    expect(createGame(7)).toEqual(createGame(7));
    expect(createGame(7).asteroids).not.toEqual(createGame(8).asteroids);
    expect(createGame(2 ** 32 + 7)).toEqual(createGame(7));
  });
});

describe('firing', () => {
  it('is limited to one shot per FIRE_INTERVAL ticks while fire is held', () => {
    const s = run(scene(), press(0, Button.fire), 6 * FIRE_INTERVAL);
    expect(s.stats[0].shotsFired).toBe(6);
    expect(s.projectiles.filter((p) => p.owner === 0)).toHaveLength(6);
  });
  it('starts at the nose and flies with the muzzle speed, for PROJECTILE_TTL ticks', () => {
    let s = step(scene(), press(0, Button.fire));
    const [shot] = s.projectiles;
    expect(shot).toMatchObject({ owner: 0, y: SPAWNS[0].y, vy: 0, ttl: PROJECTILE_TTL });
    expect(shot!.x).toBeGreaterThan(SPAWNS[0].x);
    expect(shot!.vx).toBe(units(8));
    s = run(s, [0, 0], PROJECTILE_TTL - 1);
    expect(s.projectiles).toHaveLength(1);
    expect(s.projectiles[0]!.x).toBe(shot!.x + (PROJECTILE_TTL - 1) * shot!.vx);
    expect(run(s, [0, 0], 1).projectiles).toEqual([]);
  });
  it('allows at most MAX_PROJECTILES_PER_SHIP live projectiles per ship', () => {
    const flying = (n: number, owner: 0 | 1) =>
      Array.from({ length: n }, (_, i) => projectile(i + 10 * owner, owner, { y: units(300) }));
    const full = scene({ projectiles: flying(MAX_PROJECTILES_PER_SHIP, 0) });
    expect(step(full, press(0, Button.fire)).stats[0].shotsFired).toBe(0);
    const oneFree = scene({ projectiles: flying(MAX_PROJECTILES_PER_SHIP - 1, 0) });
    expect(step(oneFree, press(0, Button.fire)).stats[0].shotsFired).toBe(1);
    // The cap is per ship: the opponent's shots do not count.
    expect(step(full, press(1, Button.fire)).stats[1].shotsFired).toBe(1);
  });
  it('is impossible while destroyed', () => {
    const s = scene({ ships: [ship(0, { lives: 2, respawnTicks: 30 }), ship(1)] });
    expect(step(s, press(0, Button.fire)).projectiles).toEqual([]);
  });
});

describe('wrap-around', () => {
  it('asteroids and projectiles leave one edge and come back at the other', () => {
    // Per edge: where it starts, its velocity, where it is one tick later.
    const edges = (lane: number) => [
      { from: { x: units(1600) - 4, y: lane, vx: 10, vy: 0 }, to: { x: 6, y: lane } },
      { from: { x: 3, y: lane, vx: -10, vy: 0 }, to: { x: units(1600) - 7, y: lane } },
      { from: { x: lane, y: units(900) - 4, vx: 0, vy: 10 }, to: { x: lane, y: 6 } },
      { from: { x: lane, y: 3, vx: 0, vy: -10 }, to: { x: lane, y: units(900) - 7 } },
    ];
    // Asteroids in one lane, projectiles in another, so they do not meet.
    const rocks = edges(units(100));
    const shots = edges(units(300));
    const s = step(
      scene({
        asteroids: rocks.map((e, i) => ({ id: i + 1, ...e.from, size: AsteroidSize.small })),
        projectiles: shots.map((e, i) => projectile(i + 1, 0, e.from)),
      }),
      [0, 0],
    );
    expect(placed(s.asteroids).map(({ x, y }) => ({ x, y }))).toEqual(rocks.map((e) => e.to));
    expect(s.projectiles.map(({ x, y }) => ({ x, y }))).toEqual(shots.map((e) => e.to));
  });
});

describe('waves', () => {
  it('a new wave of large asteroids comes when the field runs low, away from the ships', () => {
    for (let seed = 0; seed < 100; seed++) {
      const ships = [
        ship(0, { x: units(50 + seed * 13) }),
        ship(1, { y: units(seed * 7) }),
      ] as const;
      const low = { ...scene({ ships }), rng: seed, asteroids: fillers().slice(1) };
      const s = step(low, [0, 0]);
      const wave = placed(s.asteroids);
      expect(wave).toHaveLength(WAVE_SIZE);
      for (const a of wave) {
        expect(a.size).toBe(AsteroidSize.large);
        for (const p of [...s.ships, ...SPAWNS])
          expect(distanceSq(a.x, a.y, p.x, p.y)).toBeGreaterThanOrEqual(SAFE_DISTANCE ** 2);
      }
      expect(sortedIds(s.asteroids)).toBe(true);
    }
  });
  it('no wave while the field is full enough', () => {
    const s = step(scene(), [0, 0]);
    expect(placed(s.asteroids)).toEqual([]);
  });
});

describe('the end of a match', () => {
  const lastLife = (slot: 0 | 1) => ship(slot, { lives: 1 });
  const hitOn = (slot: 0 | 1, id: number) => {
    const { x, y } = SPAWNS[slot];
    return projectile(id, slot === 0 ? 1 : 0, { x: x - units(10), y, vx: units(8) });
  };
  it('ends when a ship loses its last life: the survivor wins', () => {
    const s = step(scene({ ships: [lastLife(0), ship(1)], projectiles: [hitOn(0, 1)] }), [0, 0]);
    expect(outcome(s)).toEqual({ winnerSlot: 1, reason: 'lives' });
    expect(step(s, [ALL_BUTTONS, ALL_BUTTONS])).toBe(s);
  });
  it('is a draw when both lose their last life on the same tick', () => {
    const s = step(
      scene({ ships: [lastLife(0), lastLife(1)], projectiles: [hitOn(0, 1), hitOn(1, 2)] }),
      [0, 0],
    );
    expect(outcome(s)).toEqual({ winnerSlot: -1, reason: 'lives' });
  });
  it('at the time limit the higher score wins; equal scores draw', () => {
    const late = (a: number, b: number) =>
      scene({ tick: MATCH_TICKS - 1, ships: [ship(0, { score: a }), ship(1, { score: b })] });
    expect(outcome(late(100, 50))).toBeUndefined();
    expect(outcome(step(late(100, 50), [0, 0]))).toEqual({ winnerSlot: 0, reason: 'time' });
    expect(outcome(step(late(20, 70), [0, 0]))).toEqual({ winnerSlot: 1, reason: 'time' });
    expect(outcome(step(late(40, 40), [0, 0]))).toEqual({ winnerSlot: -1, reason: 'time' });
  });
  it('reports per-player stats', () => {
    let s = run(scene(), [Button.fire, 0], 25);
    s = step({ ...s, projectiles: [...s.projectiles, hitOn(1, 50)] }, [0, 0]);
    expect(playerStats(s, 0)).toEqual({
      shotsFired: 3,
      hits: 1,
      asteroidsDestroyed: 0,
      score: 250,
    });
    expect(playerStats(s, 1)).toEqual({ shotsFired: 0, hits: 0, asteroidsDestroyed: 0, score: 0 });
  });
});

describe('step is pure', () => {
  const deepFreeze = <T>(v: T): T => {
    if (v && typeof v === 'object') {
      for (const child of Object.values(v)) deepFreeze(child);
      Object.freeze(v);
    }
    return v;
  };
  it('never changes the state it is given (frozen deeply; strict mode would throw)', () => {
    let s = createGame(99);
    for (let i = 0; i < 600; i++) {
      const before = structuredClone(s);
      const frozen = deepFreeze(s);
      s = step(frozen, [(i * 7) & ALL_BUTTONS, (i * 3) & ALL_BUTTONS]);
      expect(frozen).toEqual(before);
    }
  });
  it('moves a ship in play exactly as stepShip does (what client prediction replays)', () => {
    let s = scene();
    for (let i = 0; i < 300; i++) {
      const buttons = [(i >> 3) & 7, (i >> 4) & 7] as const; // no fire: nothing else happens
      const next = step(s, buttons);
      expect(next.ships[0]).toEqual(stepShip(s.ships[0], buttons[0]));
      expect(next.ships[1]).toEqual(stepShip(s.ships[1], buttons[1]));
      s = next;
    }
  });
});
