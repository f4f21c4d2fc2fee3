// What a client draws each frame and what it learns about the match: the contract between
// the shared GameClient (netcode) and the renderers (browser canvas, or nothing for the bot).
import type { Slot } from '../protocol/codes.js';
import type { Asteroid, Projectile, Ship } from '../sim/types.js';

export interface MatchInfo {
  matchId: string;
  /** The local player's slot. */
  you: Slot;
  opponent: string;
  /** Ticks from the start to the time limit. */
  matchTicks: number;
}

/** How a match ended for this client. */
export type MatchEndInfo =
  | { kind: 'match_end'; reason: string; winnerSlot: Slot | -1 }
  | { kind: 'opponent_left' }
  | { kind: 'server_stopping' }
  /** Nothing came from the game server for `silenceMs`: it died, hung, or the network went. */
  | { kind: 'server_lost' }
  | { kind: 'error'; code: string };

export interface RenderFrame {
  /** The server tick this frame shows remote objects at (fractional, about 100 ms behind). */
  renderTick: number;
  you: Slot;
  /** Index = slot. The local ship is predicted; the other is interpolated. */
  ships: readonly [Ship, Ship];
  asteroids: readonly Asteroid[];
  projectiles: readonly Projectile[];
  /** Ticks until the time limit. */
  ticksLeft: number;
}

export interface NetStats {
  /** The latest round trip of a ping on `control`. */
  rttMs: number | undefined;
  /** Recent round trips (up to 2,048), for percentiles. */
  rttSamplesMs: readonly number[];
  snapshots: number;
  /** Application payload bytes received on `state`. */
  stateBytes: number;
  /** Distances (world units) between prediction and reconciled state, one per snapshot. */
  predictionErrors: readonly number[];
  interpolationUnderruns: number;
  /** Snapshots that could not be decoded (unknown baseline or malformed). */
  snapshotsDropped: number;
}
