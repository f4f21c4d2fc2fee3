// Match rooms: RoomHost runs them in worker threads. Import this from the main thread;
// it never loads node-datachannel itself.
export {
  RoomHost,
  RoomError,
  type CreateMatchRequest,
  type MatchEndedEvent,
  type MatchPlayer,
  type MatchPlayerRequest,
  type RoomHostEvents,
  type RoomHostOptions,
  type RoomHostStats,
} from './room-host.js';
export type { GameRules } from './game.js';
export type { Percentiles } from './samples.js';
