// The game as the match room sees it: create, step at TICK_RATE with each slot's buttons,
// ask for the outcome, and read each player's stats at the end. Snapshots for the wire
// come from viewOf() and encodeSnapshot() in shared/src/protocol.
import { createGame, outcome, playerStats, step } from './step.js';

export { MATCH_TICKS, SNAPSHOT_RATE, TICK_RATE } from './constants.js';
export type { Buttons, GameState, Outcome, PlayerStats } from './types.js';
export { outcome, playerStats };

/** A new match's state from the room's seed (any number; it is reduced to a u32). */
export const initialState = createGame;

/** Pure: the state one tick later, given each slot's buttons this tick. */
export const stepGame = step;
