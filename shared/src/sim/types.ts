// The game state: plain immutable data, all integers (units in constants.ts). A step never
// mutates a state; it builds the next one. The entity types are also what snapshots carry.
import type { Slot } from '../protocol/codes.js';
import type { AsteroidSize } from './constants.js';

export interface Ship {
  /** The player's slot (0 or 1); ships never come and go. */
  readonly id: Slot;
  /** Position in subunits: x in [0, WIDTH), y in [0, HEIGHT). */
  readonly x: number;
  readonly y: number;
  /** Velocity in 1/256 unit per tick. */
  readonly vx: number;
  readonly vy: number;
  /** 0–255, a full turn. */
  readonly heading: number;
  readonly lives: number;
  readonly score: number;
  /** Ticks left of invulnerability (0 = can be hit). */
  readonly invulnTicks: number;
  /** Ticks until the ship reappears; above 0 the ship is destroyed and out of play. */
  readonly respawnTicks: number;
  /** Ticks until the ship may fire again. */
  readonly fireCooldown: number;
}

export interface Asteroid {
  /** Stable u16 id, unique among live asteroids. */
  readonly id: number;
  readonly x: number;
  readonly y: number;
  /** Velocity in subunits per tick; it never changes, so clients can extrapolate it. */
  readonly vx: number;
  readonly vy: number;
  readonly size: AsteroidSize;
}

export interface Projectile {
  /** Stable u16 id, unique among live projectiles. */
  readonly id: number;
  readonly owner: Slot;
  readonly x: number;
  readonly y: number;
  /** Velocity in subunits per tick (constant for its whole life). */
  readonly vx: number;
  readonly vy: number;
  /** Ticks left to live; the projectile vanishes when this reaches 0. */
  readonly ttl: number;
}

/** What the server persists per player, beside the score kept on the ship. */
export interface ShotStats {
  readonly shotsFired: number;
  /** Projectile hits on the opponent. */
  readonly hits: number;
  readonly asteroidsDestroyed: number;
}

export interface PlayerStats extends ShotStats {
  readonly score: number;
}

export interface GameState {
  /** Ticks stepped since createGame: the game's clock. */
  readonly tick: number;
  /** The generator's u32 state (see rng.ts). */
  readonly rng: number;
  readonly ships: readonly [Ship, Ship];
  /** Sorted by ascending id (the snapshot codec relies on it). */
  readonly asteroids: readonly Asteroid[];
  /** Sorted by ascending id. */
  readonly projectiles: readonly Projectile[];
  readonly stats: readonly [ShotStats, ShotStats];
  /** Next ids to hand out (u16, wrapping, skipping ids still in use). */
  readonly nextAsteroidId: number;
  readonly nextProjectileId: number;
  /** The tick at which the time limit ends the match (MATCH_TICKS unless set otherwise). */
  readonly endTick: number;
}

export interface Outcome {
  /** The winner's slot, or -1 for a draw. */
  readonly winnerSlot: Slot | -1;
  /** 'lives': a ship lost its last life; 'time': the clock ran out. */
  readonly reason: 'lives' | 'time';
}

/** Buttons held this tick, per slot (Button bitfield from protocol/codes.ts). */
export type Buttons = readonly [number, number];
