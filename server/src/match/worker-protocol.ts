// Messages between RoomHost (main thread) and a room worker. Plain data only
// (structured clone), typed on both ends from this one file.
import type { PlayerStats } from '../../../shared/src/sim/rules.js';
import type { EndReasonName, Slot, WinnerSlot } from '../../../shared/src/protocol/index.js';
import type { RtcServerOptions } from '../transport/index.js';

/** What one Room needs (room.ts). The tick rate is always TICK_RATE (shared/src/sim). */
export interface RoomSettings {
  /** Snapshots per second, a divisor of TICK_RATE. */
  readonly snapshotRate: number;
  /** Ticks from a match's start to its time limit. */
  readonly matchTicks: number;
  readonly heartbeatTimeoutMs: number;
  /** Both players' channels must open within this, or the match is cancelled. */
  readonly connectTimeoutMs: number;
  /** The server pings each player this often (1 s: RTT for status and metrics; paused clients hear it). */
  readonly pingIntervalMs: number;
  readonly inputQueueSize: number;
  /** After the last message, how long a peer may take to close before we close it. */
  readonly closeGraceMs: number;
  /**
   * How long a player who dropped mid-match keeps their seat (the match paused) for a rejoin
   * before the opponent wins. 0 or absent: a drop ends the match at once.
   */
  readonly reconnectGraceMs?: number;
}

/** Where a worker's transport listens: the RtcServer's options, less the logger. */
export type RtcSettings = Omit<RtcServerOptions, 'logger'>;

/** Everything a room worker is started with (workerData). */
export interface WorkerSettings extends RoomSettings, RtcSettings {
  /** Upper bound on answering one offer (ICE gathering). */
  readonly answerTimeoutMs: number;
  /** Test-only: honour `fault` requests. Production leaves it false and refuses them. */
  readonly faultInjection: boolean;
  /**
   * The room process's nice value, asked for before its threads start (priority.ts): below 0
   * its ticks go ahead of the host's other work. 0 leaves the priority as it was started.
   */
  readonly nice: number;
  /**
   * SCHED_FIFO priority of the room process's own threads once its rooms have started
   * (priority.ts); 0 leaves them with normal scheduling.
   */
  readonly realtimePriority: number;
}

/** How a test makes the room worker fail: an uncaught throw, an unhandled rejection, a hang. */
export type WorkerFault = 'throw' | 'reject' | 'hang';

/** A player of a new match, as matchmaking hands them over (their offer not answered yet). */
export interface MatchPlayerRequest {
  readonly userId: string;
  readonly username: string;
  readonly offerSdp: string;
}

/** A player in a match: who, and which slot. Built once per match, by RoomHost.createMatch. */
export interface MatchPlayer {
  readonly userId: string;
  readonly username: string;
  readonly slot: Slot;
}

export type MatchPlayers = readonly [MatchPlayer, MatchPlayer];

/** Seats a new match's players: the first request in slot 0. */
export const seatPlayers = (
  requests: readonly [MatchPlayerRequest, MatchPlayerRequest],
): MatchPlayers => [
  { userId: requests[0].userId, username: requests[0].username, slot: 0 },
  { userId: requests[1].userId, username: requests[1].username, slot: 1 },
];

export type EndRequestReason = 'ended' | 'admin_ended';

export type HostRequest =
  | {
      readonly kind: 'create';
      readonly matchId: string;
      readonly players: MatchPlayers;
      /** Each slot's offer SDP. */
      readonly offers: readonly [string, string];
    }
  | { readonly kind: 'end'; readonly matchId: string; readonly reason: EndRequestReason }
  | {
      readonly kind: 'rejoin';
      readonly matchId: string;
      readonly userId: string;
      /** The returning player's new offer SDP. */
      readonly offer: string;
    }
  | { readonly kind: 'stop'; readonly timeoutMs: number }
  | { readonly kind: 'stats' }
  | { readonly kind: 'load' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'fault'; readonly fault: WorkerFault }
  | { readonly kind: 'shutdown' };

export interface WorkerStats {
  readonly matches: number;
  readonly players: number;
  readonly peers: number;
  readonly tickMsSamples: readonly number[];
  readonly tickLagMsSamples: readonly number[];
  readonly rttMsSamples: readonly number[];
  readonly malformedDropped: number;
  readonly unknownCodes: number;
  readonly unexpectedMessages: number;
  readonly inputsDropped: number;
  readonly staleInputs: number;
  readonly snapshotBytes: number;
  readonly rtt: readonly { matchId: string; userId: string; rttMs: number | null }[];
}

/** What placement needs, twice a second: a few numbers instead of the stats' sample windows. */
export interface WorkerLoad {
  readonly matches: number;
  readonly players: number;
  readonly tickLagP99Ms: number;
}

export type ReplyValue = {
  create: { readonly answers: readonly [string, string] };
  end: { readonly found: boolean };
  rejoin: { readonly answer: string };
  stop: { readonly unfinished: number };
  stats: WorkerStats;
  load: WorkerLoad;
  ping: Record<string, never>;
  fault: Record<string, never>;
  shutdown: Record<string, never>;
};

/**
 * The end of a match: from the room, through the worker and RoomHost, to signalling and the
 * recorder. Exactly once per match created, whatever ended it.
 */
export interface MatchEndedEvent {
  readonly matchId: string;
  readonly reason: EndReasonName;
  /** Seconds from start to end (fractional); 0 if the match never started. */
  readonly durationSec: number;
  readonly players: MatchPlayers;
  readonly winnerSlot: WinnerSlot;
  /** Each slot's score, shots, hits and asteroids destroyed (NO_STATS when unknown). */
  readonly stats: readonly [PlayerStats, PlayerStats];
}

/** The stats of a player whose match ended where nobody kept the score (a failed worker). */
export const NO_STATS: PlayerStats = { score: 0, shotsFired: 0, hits: 0, asteroidsDestroyed: 0 };

export type WorkerEvent =
  | { readonly name: 'matchStarted'; readonly data: { readonly matchId: string } }
  | { readonly name: 'matchEnded'; readonly data: MatchEndedEvent }
  | {
      readonly name: 'playerLeft';
      readonly data: { readonly matchId: string; readonly userId: string };
    };

/** Why a room operation failed, so callers can tell the cases apart. */
export type RoomErrorCode =
  | 'bad_offer' // a player's offer was refused (badSlots says whose); the other may queue again
  | 'no_capacity' // no room worker is running (restarting, or the host is closed)
  | 'worker_died' // the worker failed while the request was in flight
  | 'timeout' // the worker did not answer in time, or ICE gathering took too long
  | 'server_stopping' // the worker is stopping its rooms
  | 'duplicate_match' // a match with this id exists
  | 'no_seat' // no seat of this player waits in this match (rejoin)
  | 'invalid_input' // ids or names out of bounds
  | 'closed' // the host is closed
  | 'internal'; // anything else; logged where it happened

/** Plain data form of a RoomError, for the reply message. */
export interface RoomErrorData {
  readonly code: RoomErrorCode;
  readonly message: string;
  readonly badSlots: readonly Slot[];
}

/** The one failure of the match pipeline, on both sides of the thread boundary. */
export class RoomError extends Error {
  override name = 'RoomError';
  constructor(
    readonly code: RoomErrorCode,
    message: string,
    /** For bad_offer: the slots whose offers were refused. */
    readonly badSlots: readonly Slot[] = [],
  ) {
    super(message);
  }
  toData(): RoomErrorData {
    return { code: this.code, message: this.message, badSlots: this.badSlots };
  }
  static fromData(d: RoomErrorData): RoomError {
    return new RoomError(d.code, d.message, d.badSlots);
  }
}

export const isRoomError = (e: unknown): e is RoomError => e instanceof RoomError;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly kind: 'reply';
      readonly id: number;
      readonly ok: false;
      readonly error: RoomErrorData;
    }
  | { readonly kind: 'event'; readonly event: WorkerEvent }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly obj: object; readonly msg: string };

export type HostMessage = { readonly id: number; readonly request: HostRequest };
