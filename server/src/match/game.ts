// What a room needs from a game: a pure step, the per-player snapshot frame, the outcome and
// the players' stats. The room owns time, players and the network; the game owns the state.
import {
  encodeSnapshot,
  viewOf,
  type ViewHistory,
  type WinnerSlot,
} from '../../../shared/src/protocol/index.js';
import {
  initialState,
  outcome,
  playerStats,
  stepGame,
  type GameState,
  type PlayerStats,
} from '../../../shared/src/sim/rules.js';

/** What the room knows of one player for their next snapshot. */
export interface SnapshotSeat {
  /** The views this player was sent, by tick: the baselines of their deltas. */
  readonly history: Pick<ViewHistory, 'get' | 'put'>;
  /** Newest snapshot tick the player acknowledged (0 = none: send in full). */
  readonly ackTick: number;
  /** Last input seq the server applied for this player. */
  readonly ackInputSeq: number;
}

export interface GameRules<S> {
  init(seed: number, matchTicks: number): S;
  /** Pure: the next state from this one and each slot's buttons for this tick. */
  step(state: S, buttons: readonly [number, number]): S;
  /** The snapshot frame for one player: a delta against the view they acknowledged. */
  snapshot(state: S, seat: SnapshotSeat): Uint8Array;
  /** Set once the game has a result; the room then ends the match with reason `ended`. */
  outcome(state: S): { readonly winnerSlot: WinnerSlot } | undefined;
  /** Each slot's stats so far (persisted when the match ends). */
  stats(state: S): readonly [PlayerStats, PlayerStats];
}

/** The Asteroids duel of shared/src/sim. */
export const asteroidsGame: GameRules<GameState> = {
  init: initialState,
  step: stepGame,
  snapshot(state, seat) {
    const view = viewOf(state);
    const frame = encodeSnapshot(view, seat.history.get(seat.ackTick), {
      ackInputSeq: seat.ackInputSeq,
    });
    seat.history.put(view);
    return frame;
  },
  outcome,
  stats: (state) => [playerStats(state, 0), playerStats(state, 1)],
};
