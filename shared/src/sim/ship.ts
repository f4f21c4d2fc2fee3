// One ship's movement and life cycle. stepShip is shared with client prediction, which
// replays the local player's unacknowledged inputs through it: keep it a pure function of
// the ship and the buttons, nothing else.
import { Button, type Slot } from '../protocol/codes.js';
import {
  DRAG_DIVISOR,
  DRAG_KEEP,
  INVULN_TICKS,
  RESPAWN_TICKS,
  SHIP_VELOCITY_SCALE,
  SPAWNS,
  START_LIVES,
  THRUST,
  TURN_RATE,
} from './constants.js';
import { round, trunc, wrapHeading, wrapX, wrapY } from './fixed.js';
import { cos, sin, TRIG_ONE } from './trig.js';
import type { Ship } from './types.js';

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
  // Truncating toward zero makes drag bring any velocity to exactly 0, never past it.
  vx = trunc((vx * DRAG_KEEP) / DRAG_DIVISOR);
  vy = trunc((vy * DRAG_KEEP) / DRAG_DIVISOR);
  const x = wrapX(ship.x + round(vx / SHIP_VELOCITY_SCALE));
  const y = wrapY(ship.y + round(vy / SHIP_VELOCITY_SCALE));
  // Spelled out rather than spread: this runs for every ship, every tick, on both ends.
  const { id, lives, score, invulnTicks, respawnTicks, fireCooldown } = ship;
  return { id, x, y, vx, vy, heading, lives, score, invulnTicks, respawnTicks, fireCooldown };
}

/** Counts the ship's timers down one tick; a ship whose wait ends reappears at its spawn. */
export function tickTimers(ship: Ship): Ship {
  if (ship.respawnTicks === 1) {
    return { ...spawnShip(ship.id, ship.lives, ship.score), invulnTicks: INVULN_TICKS };
  }
  if (ship.respawnTicks === 0 && ship.invulnTicks === 0 && ship.fireCooldown === 0) return ship;
  return {
    ...ship,
    respawnTicks: Math.max(0, ship.respawnTicks - 1),
    invulnTicks: Math.max(0, ship.invulnTicks - 1),
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
