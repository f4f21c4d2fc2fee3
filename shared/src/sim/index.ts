// The deterministic simulation shared by the server, the browser (prediction) and the bot.
export * from './constants.js';
export { hashState } from './hash.js';
export { initialState, stepGame } from './rules.js';
export { isAlive, isVulnerable, spawnShip, stepShip } from './ship.js';
export { createGame, outcome, playerStats, step } from './step.js';
export { cos, sin, TRIG_ONE } from './trig.js';
export type * from './types.js';
