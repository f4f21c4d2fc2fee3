// What a room needs from a game: a pure step and a snapshot encoder. The room owns time,
// players and the network; the game owns the state. This placeholder moves two points;
// the real simulation (shared/src/sim) replaces it behind the same interface.
import { Button, encodeSnapshot, type WinnerSlot } from '../../../shared/src/protocol/index.js';

export interface GameRules<S> {
  init(): S;
  /** Pure: the next state from this one and each slot's buttons for this tick. */
  step(state: S, buttons: readonly [number, number]): S;
  /** The snapshot frame for the `state` channel. */
  snapshot(state: S, tick: number): Uint8Array;
  /** Set once the game has a result; the room then ends the match with reason `ended`. */
  outcome(state: S): { readonly winnerSlot: WinnerSlot } | undefined;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}
export type PlaceholderState = readonly [Point, Point];

export const ARENA = { width: 800, height: 600 } as const;
const SPEED = 4; // arena units per tick

const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));

function move(p: Point, buttons: number): Point {
  const dx = (buttons & Button.right ? 1 : 0) - (buttons & Button.left ? 1 : 0);
  const dy = buttons & Button.thrust ? -1 : 0;
  return {
    x: clamp(p.x + dx * SPEED, ARENA.width),
    y: clamp(p.y + dy * SPEED, ARENA.height),
  };
}

export const placeholderGame: GameRules<PlaceholderState> = {
  init: () => [
    { x: ARENA.width * 0.25, y: ARENA.height / 2 },
    { x: ARENA.width * 0.75, y: ARENA.height / 2 },
  ],
  step: (state, buttons) => [move(state[0], buttons[0]), move(state[1], buttons[1])],
  snapshot: (state, tick) => encodeSnapshot({ tick, players: state }),
  outcome: () => undefined,
};
