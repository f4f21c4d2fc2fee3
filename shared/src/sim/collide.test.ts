import { describe, expect, it } from 'vitest';
import {
  ASTEROID_POINTS,
  AsteroidSize,
  HIT_POINTS,
  INVULN_TICKS,
  MAX_ASTEROIDS,
  RESPAWN_TICKS,
  SPAWNS,
} from './constants.js';
import { asteroid, fillers, placed, projectile, scene, ship, units } from './scene.js';
import { step } from './step.js';
import type { Asteroid, GameState } from './types.js';

const idle = [0, 0] as const;
const testAsteroids = (s: GameState) => placed(s.asteroids);
const P0 = SPAWNS[0];

/** A projectile of `owner` 10 units left of (x, y), flying right into it next tick. */
const shotAt = (id: number, owner: 0 | 1, x: number, y: number) =>
  projectile(id, owner, { x: x - units(10), y, vx: units(8) });

describe('asteroids split when hit', () => {
  it('large → 2 medium → 2 small → gone, scoring 20, 50, 100 for the shooter', () => {
    const at = { x: units(800), y: units(200) };
    let s = scene({
      asteroids: [asteroid(1, { ...at, size: AsteroidSize.large })],
      projectiles: [shotAt(1, 0, at.x, at.y)],
    });
    s = step(s, idle);
    expect(s.projectiles).toEqual([]);
    expect(testAsteroids(s).map((a) => a.size)).toEqual([AsteroidSize.medium, AsteroidSize.medium]);
    expect(testAsteroids(s).every((a) => a.x === at.x && a.y === at.y)).toBe(true);
    expect(s.ships[0].score).toBe(ASTEROID_POINTS[AsteroidSize.large]);

    // Shoot one piece at a time, alone in the field, so the shot cannot hit its sibling.
    const alone = (piece: Asteroid, id: number) =>
      step(
        { ...s, asteroids: [piece, ...fillers()], projectiles: [shotAt(id, 0, piece.x, piece.y)] },
        idle,
      );
    s = alone(testAsteroids(s)[0]!, 2);
    expect(testAsteroids(s).map((a) => a.size)).toEqual([AsteroidSize.small, AsteroidSize.small]);
    expect(s.ships[0].score).toBe(20 + 50);

    s = alone(testAsteroids(s)[0]!, 3);
    expect(testAsteroids(s)).toEqual([]);
    expect(s.ships[0].score).toBe(20 + 50 + 100);
    expect(s.stats[0].asteroidsDestroyed).toBe(3);
    expect(s.stats[1]).toEqual({ shotsFired: 0, hits: 0, asteroidsDestroyed: 0 });
  });
  it('pieces fly apart and get fresh ids, keeping the list sorted', () => {
    const s = step(
      scene({
        asteroids: [asteroid(1, { vx: 10 })],
        projectiles: [shotAt(1, 1, units(800) + 10, units(200))],
      }),
      idle,
    );
    const pieces = testAsteroids(s);
    expect(pieces.map((a) => a.id)).toEqual([2000, 2001]);
    expect(pieces.some((a) => a.vx !== 0 || a.vy !== 0)).toBe(true);
    expect(s.asteroids.map((a) => a.id)).toEqual(
      [...s.asteroids.map((a) => a.id)].sort((a, b) => a - b),
    );
  });
  it('no piece is added beyond the asteroid cap', () => {
    const full = Array.from({ length: MAX_ASTEROIDS - 8 }, (_, i) =>
      asteroid(i + 1, { x: units(40 * i), y: units(60), size: AsteroidSize.small }),
    );
    const target = full[5]!;
    const big = { ...target, size: AsteroidSize.large };
    const s = step(
      scene({
        asteroids: full.map((a) => (a === target ? big : a)),
        projectiles: [shotAt(1, 0, big.x, big.y)],
      }),
      idle,
    );
    expect(s.asteroids.length).toBeLessThanOrEqual(MAX_ASTEROIDS);
  });
});

describe('ships are hit', () => {
  it("by the opponent's projectile: a life lost, 250 points and a hit for the shooter", () => {
    const s = step(scene({ projectiles: [shotAt(1, 1, P0.x, P0.y)] }), idle);
    expect(s.ships[0]).toMatchObject({ lives: 2, respawnTicks: RESPAWN_TICKS });
    expect(s.ships[1].score).toBe(HIT_POINTS);
    expect(s.stats[1].hits).toBe(1);
    expect(s.projectiles).toEqual([]);
  });
  it('never by their own projectiles', () => {
    const s = step(scene({ projectiles: [shotAt(1, 0, P0.x, P0.y)] }), idle);
    expect(s.ships[0]).toMatchObject({ lives: 3, respawnTicks: 0 });
    expect(s.projectiles).toHaveLength(1);
  });
  it('by an asteroid: a life lost, the asteroid splits, nobody scores', () => {
    const s = step(scene({ asteroids: [asteroid(1, { x: P0.x + units(40), y: P0.y })] }), idle);
    expect(s.ships[0].lives).toBe(2);
    expect(testAsteroids(s).map((a) => a.size)).toEqual([AsteroidSize.medium, AsteroidSize.medium]);
    expect([s.ships[0].score, s.ships[1].score]).toEqual([0, 0]);
  });
  it('not while invulnerable after a respawn', () => {
    const s = step(
      scene({
        ships: [ship(0, { invulnTicks: INVULN_TICKS }), ship(1)],
        // Touching the ship, clear of the projectile's path.
        asteroids: [asteroid(1, { x: P0.x, y: P0.y + units(50) })],
        projectiles: [shotAt(1, 1, P0.x, P0.y)],
      }),
      idle,
    );
    expect(s.ships[0]).toMatchObject({ lives: 3, invulnTicks: INVULN_TICKS - 1 });
    expect(testAsteroids(s)).toHaveLength(1);
    expect(s.projectiles).toHaveLength(1);
  });
  it('not while destroyed and waiting to respawn', () => {
    const waiting = ship(0, { lives: 2, respawnTicks: 50 });
    const s = step(
      scene({ ships: [waiting, ship(1)], asteroids: [asteroid(1, { x: P0.x, y: P0.y })] }),
      idle,
    );
    expect(s.ships[0]).toMatchObject({ lives: 2, respawnTicks: 49 });
  });
  it('respawn at the spawn point, then become vulnerable again', () => {
    let s = step(scene({ projectiles: [shotAt(1, 1, P0.x, P0.y + units(100))] }), idle);
    s = step(scene({ ships: s.ships, projectiles: [shotAt(2, 1, P0.x, P0.y)] }), idle);
    expect(s.ships[0].lives).toBe(2);
    for (let i = 0; i < RESPAWN_TICKS; i++) s = step(s, [0xf, 0]);
    expect(s.ships[0]).toMatchObject({ lives: 2, respawnTicks: 0 });
    expect(s.ships[0].invulnTicks).toBeGreaterThan(INVULN_TICKS - 5);
    for (let i = 0; i < INVULN_TICKS; i++) s = step(s, idle);
    const again = step({ ...s, projectiles: [shotAt(3, 1, s.ships[0].x, s.ships[0].y)] }, idle);
    expect(again.ships[0].lives).toBe(1);
  });
});
