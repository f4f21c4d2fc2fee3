// One ship's movement and life cycle. stepShip is shared with client prediction, which
// replays the local player's unacknowledged inputs through it: keep it a pure function of
// the ship and the buttons, nothing else.
import { Button, type Slot } from '../protocol/codes.js';
import {
  DRAG_DIVISOR,
  DRAG_KEEP,
  HEIGHT,
  INVULN_TICKS,
  RESPAWN_TICKS,
  SHIP_VELOCITY_SCALE,
  SPAWNS,
  START_LIVES,
  THRUST,
  TURN_RATE,
  WIDTH,
} from './constants.js';
import { round, trunc, wrap, wrapHeading } from './fixed.js';
import { cos, sin, TRIG_ONE } from './trig.js';
import type { Ship } from './types.js';

/** Drag: truncating toward zero brings any velocity to exactly 0, never past it. */
const drag = (v: number): number => trunc((v * DRAG_KEEP) / DRAG_DIVISOR);

/** One tick of motion along a wrapping axis (velocity in 1/256 unit, position in 1/16). */
const advance = (p: number, v: number, size: number): number =>
  wrap(p + round(v / SHIP_VELOCITY_SCALE), size);

/** A ship at its spawn point, at rest. */
export function spawnShip(slot: Slot, lives = START_LIVES, score = 0): Ship {
  const spawn = SPAWNS[slot];
  return {
    id: slot,
    x: spawn.x,
    y: spawn.y,
    vx: 0,
    vy: 0,
    heading: spawn.heading,
    lives,
    score,
    invulnTicks: 0,
    respawnTicks: 0,
    fireCooldown: 0,
  };
}

/** In play: neither waiting to respawn nor out of lives. */
export const isAlive = (ship: Ship): boolean => ship.lives > 0 && ship.respawnTicks === 0;

/** In play and not invulnerable. */
export const isVulnerable = (ship: Ship): boolean => isAlive(ship) && ship.invulnTicks === 0;

/**
 * One tick of movement: turn, thrust, drag, then move and wrap. A ship out of play does
 * not move. Timers, firing and collisions belong to step(), not here.
 */
export function stepShip(ship: Ship, buttons: number): Ship {
  if (!isAlive(ship)) return ship;
  const turn = (buttons & Button.right ? 1 : 0) - (buttons & Button.left ? 1 : 0);
  const heading = wrapHeading(ship.heading + turn * TURN_RATE);
  let vx = ship.vx;
  let vy = ship.vy;
  if (buttons & Button.thrust) {
    vx += round((cos(heading) * THRUST) / TRIG_ONE);
    vy += round((sin(heading) * THRUST) / TRIG_ONE);
  }
  vx = drag(vx);
  vy = drag(vy);
  const x = advance(ship.x, vx, WIDTH);
  const y = advance(ship.y, vy, HEIGHT);
  // Spelled out rather than spread: this runs for every ship, every tick, on both ends.
  const { id, lives, score, invulnTicks, respawnTicks, fireCooldown } = ship;
  return { id, x, y, vx, vy, heading, lives, score, invulnTicks, respawnTicks, fireCooldown };
}

/**
 * `ticks` of stepShip with no buttons held, computed without building a ship per tick
 * (snapshot deltas extrapolate ships this way, for every client).
 */
export function coast(ship: Ship, ticks: number): Ship {
  if (!isAlive(ship)) return ship;
  let { x, y, vx, vy } = ship;
  for (let i = 0; i < ticks && (vx !== 0 || vy !== 0); i++) {
    vx = drag(vx);
    vy = drag(vy);
    x = advance(x, vx, WIDTH);
    y = advance(y, vy, HEIGHT);
  }
  const { id, heading, lives, score, invulnTicks, respawnTicks, fireCooldown } = ship;
  return { id, x, y, vx, vy, heading, lives, score, invulnTicks, respawnTicks, fireCooldown };
}

/** Counts the ship's timers down one tick; a ship whose wait ends reappears at its spawn. */
export function tickTimers(ship: Ship): Ship {
  if (ship.respawnTicks === 1) {
    return { ...spawnShip(ship.id, ship.lives, ship.score), invulnTicks: INVULN_TICKS };
  }
  if (ship.respawnTicks === 0 && ship.invulnTicks === 0 && ship.fireCooldown === 0) return ship;
  const { id, x, y, vx, vy, heading, lives, score } = ship;
  return {
    id,
    x,
    y,
    vx,
    vy,
    heading,
    lives,
    score,
    invulnTicks: Math.max(0, ship.invulnTicks - 1),
    respawnTicks: Math.max(0, ship.respawnTicks - 1),
    fireCooldown: Math.max(0, ship.fireCooldown - 1),
  };
}

/** The ship loses a life; with lives left it waits RESPAWN_TICKS, at rest where it died. */
export function destroyShip(ship: Ship): Ship {
  const lives = ship.lives - 1;
  return {
    ...ship,
    vx: 0,
    vy: 0,
    lives,
    invulnTicks: 0,
    fireCooldown: 0,
    respawnTicks: lives > 0 ? RESPAWN_TICKS : 0,
  };
}
