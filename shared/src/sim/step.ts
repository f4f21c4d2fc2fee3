// The game as a pure step: state' = step(state, buttons). The tick is the clock and the
// generator's seed lives in the state, so the server, a replay and a test all get the same
// states from the same seed and inputs.
import { initialField, moveAsteroid, refill } from './asteroids.js';
import { resolveCollisions, type Draft } from './collide.js';
import { MATCH_TICKS } from './constants.js';
import { canFire, fire, moveProjectile } from './projectiles.js';
import { Rng, seedOf } from './rng.js';
import { spawnShip, stepShip, tickTimers } from './ship.js';
import type { Buttons, GameState, Outcome, PlayerStats, Ship } from './types.js';
import type { Slot } from '../protocol/codes.js';

const NO_STATS = { shotsFired: 0, hits: 0, asteroidsDestroyed: 0 } as const;

/** A new match: both ships at their spawn points, the opening field drawn from the seed. */
export function createGame(seed: number, matchTicks = MATCH_TICKS): GameState {
  const rng = new Rng(seedOf(seed));
  const ships: [Ship, Ship] = [spawnShip(0), spawnShip(1)];
  const asteroids = { list: [], nextId: 0 };
  initialField(asteroids, rng, ships);
  return {
    tick: 0,
    rng: rng.seed,
    ships,
    asteroids: asteroids.list,
    projectiles: [],
    stats: [NO_STATS, NO_STATS],
    nextAsteroidId: asteroids.nextId,
    nextProjectileId: 0,
    endTick: matchTicks,
  };
}

function draftOf(state: GameState): Draft {
  return {
    ships: [state.ships[0], state.ships[1]],
    stats: [state.stats[0], state.stats[1]],
    asteroids: { list: state.asteroids.map(moveAsteroid), nextId: state.nextAsteroidId },
    projectiles: { list: [], nextId: state.nextProjectileId },
    rng: new Rng(state.rng),
  };
}

/** Timers, movement, then a shot if the ship may fire (a new shot starts at the nose). */
function stepPlayer(d: Draft, slot: Slot, buttons: number): void {
  let ship = stepShip(tickTimers(d.ships[slot]), buttons);
  if (canFire(ship, buttons, d.projectiles.list)) {
    ship = fire(ship, d.projectiles);
    const stats = d.stats[slot];
    d.stats[slot] = { ...stats, shotsFired: stats.shotsFired + 1 };
  }
  d.ships[slot] = ship;
}

/**
 * The state one tick later. Pure: the input state is never changed. Once the match has an
 * outcome the state no longer changes.
 */
export function step(state: GameState, buttons: Buttons): GameState {
  if (outcome(state)) return state;
  const d = draftOf(state);
  for (const p of state.projectiles) {
    const moved = moveProjectile(p);
    if (moved) d.projectiles.list.push(moved);
  }
  stepPlayer(d, 0, buttons[0]);
  stepPlayer(d, 1, buttons[1]);
  resolveCollisions(d);
  refill(d.asteroids, d.rng, d.ships);
  return {
    tick: state.tick + 1,
    rng: d.rng.seed,
    ships: d.ships,
    asteroids: d.asteroids.list,
    projectiles: d.projectiles.list,
    stats: d.stats,
    nextAsteroidId: d.asteroids.nextId,
    nextProjectileId: d.projectiles.nextId,
    endTick: state.endTick,
  };
}

/** Set once the match is over: a ship out of lives, or the clock at the state's endTick. */
export function outcome(state: GameState): Outcome | undefined {
  const [a, b] = state.ships;
  if (a.lives === 0 || b.lives === 0) {
    if (a.lives === b.lives) return { winnerSlot: -1, reason: 'lives' };
    return { winnerSlot: a.lives === 0 ? 1 : 0, reason: 'lives' };
  }
  if (state.tick < state.endTick) return undefined;
  if (a.score === b.score) return { winnerSlot: -1, reason: 'time' };
  return { winnerSlot: a.score > b.score ? 0 : 1, reason: 'time' };
}

/** What the server persists for this player at the end of the match. */
export function playerStats(state: GameState, slot: Slot): PlayerStats {
  return { ...state.stats[slot], score: state.ships[slot].score };
}
