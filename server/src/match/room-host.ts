// Match rooms run OFF the HTTP thread, in worker_threads. RoomHost is the main thread's
// handle on them: it places matches on the least-loaded worker and re-emits what they do.
// The main thread never loads node-datachannel (only the workers do, via the transport).
import { EventEmitter } from 'node:events';
import { MAX_STRING_BYTES } from '../../../shared/src/protocol/index.js';
import { TICK_RATE } from '../../../shared/src/sim/constants.js';
import { DEFAULT_WATCHDOG, workerSettings, type RoomHostOptions } from './room-host-options.js';
import { percentiles, type Percentiles } from './samples.js';
import type { WorkerHandle } from './worker-handle.js';
import { WorkerPool } from './worker-pool.js';
import {
  NO_STATS,
  RoomError,
  seatPlayers,
  type EndRequestReason,
  type MatchEndedEvent,
  type MatchPlayer,
  type MatchPlayerRequest,
  type MatchPlayers,
  type WorkerEvent,
  type WorkerFault,
  type WorkerStats,
} from './worker-protocol.js';
import { startWorkerProcess } from './worker-spawn.js';

export { RoomError };
export type { MatchEndedEvent, MatchPlayer, MatchPlayerRequest, RoomHostOptions };

export interface CreateMatchRequest {
  readonly matchId: string;
  readonly players: readonly [MatchPlayerRequest, MatchPlayerRequest];
}

export interface RoomHostStats {
  readonly workers: number;
  readonly matches: number;
  readonly players: number;
  readonly peers: number;
  readonly tickMs: Percentiles;
  readonly tickLagMs: Percentiles;
  readonly rttMs: Percentiles;
  readonly malformedDropped: number;
  readonly unknownCodes: number;
  readonly unexpectedMessages: number;
  readonly inputsDropped: number;
  readonly staleInputs: number;
  /** Snapshot payload bytes sent on `state`, all matches. */
  readonly snapshotBytes: number;
  /** Room workers that died, failed to start or hung (and were replaced) since start. */
  readonly workerFailures: number;
  readonly rtt: WorkerStats['rtt'];
}

export interface RoomHostEvents {
  /** Both players' channels are open; the match has started. */
  matchStarted: [{ matchId: string }];
  /** Exactly once per match created, whatever ends it. */
  matchEnded: [MatchEndedEvent];
  playerLeft: [{ matchId: string; userId: string }];
}

export interface LiveMatch {
  readonly matchId: string;
  readonly players: readonly MatchPlayer[];
  /** Epoch ms when both players' channels opened; null while they connect. */
  readonly startedAt: number | null;
  /** Ticks simulated so far (from the fixed tick rate); null while they connect. */
  readonly tick: number | null;
}

interface Hosted {
  readonly worker: WorkerHandle;
  readonly players: MatchPlayers;
  startedAt?: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 15_000;

export class RoomHost extends EventEmitter<RoomHostEvents> {
  private readonly pool: WorkerPool;
  private readonly matches = new Map<string, Hosted>();
  private readonly stopTimeoutMs: number;
  private closing: Promise<void> | undefined;

  /** Starts the workers and waits until they are ready. */
  static async start(options: RoomHostOptions): Promise<RoomHost> {
    const host = new RoomHost(options);
    try {
      await host.pool.ready();
    } catch (err) {
      await host.close();
      throw err;
    }
    return host;
  }

  private constructor(private readonly options: RoomHostOptions) {
    super();
    this.stopTimeoutMs = options.stopTimeoutMs ?? 2_000;
    const settings = workerSettings(options);
    const count = options.workers ?? 1;
    if (count > 1) {
      options.logger.warn({ workers: count }, 'more than one room worker shares node-datachannel');
    }
    const startRunner = options.startRunner ?? startWorkerProcess;
    this.pool = new WorkerPool({
      count,
      startRunner: () => startRunner(settings),
      logger: options.logger,
      watchdog: options.watchdog ?? DEFAULT_WATCHDOG,
      startTimeoutMs: START_TIMEOUT_MS,
      onEvent: (e) => this.onWorkerEvent(e),
      onFailure: (w) => this.onWorkerFailed(w),
    });
  }

  /** Resolves when a room worker answers now, i.e. new matches can be placed (readiness). */
  async checkReady(timeoutMs = 1_000): Promise<void> {
    const [worker] = this.pool.accepting();
    if (!worker || this.closing) throw new RoomError('no_capacity', 'no room worker is running');
    await worker.request({ kind: 'ping' }, timeoutMs);
  }

  /** Test-only (faultInjection): makes the first live worker fail the way asked. */
  async injectFault(fault: WorkerFault): Promise<void> {
    const [worker] = this.pool.accepting();
    if (!worker) throw new RoomError('no_capacity', 'no room worker is running');
    await worker.request({ kind: 'fault', fault }, REQUEST_TIMEOUT_MS);
  }

  /** Answers both players' offers; the match starts when both players' channels open. */
  async createMatch(request: CreateMatchRequest): Promise<{ answers: [string, string] }> {
    if (this.closing) throw new RoomError('closed', 'the room host is closed');
    const names = [request.matchId, ...request.players.map((p) => p.username)];
    if (names.some((n) => n.length === 0 || utf8Bytes(n) > MAX_STRING_BYTES)) {
      throw new RoomError('invalid_input', `ids and names must be 1-${MAX_STRING_BYTES} bytes`);
    }
    if (this.matches.has(request.matchId)) {
      throw new RoomError('duplicate_match', `match ${request.matchId} exists`);
    }
    const worker = this.leastLoaded();
    const { matchId } = request;
    const players = seatPlayers(request.players);
    const offers = [request.players[0].offerSdp, request.players[1].offerSdp] as const;
    this.matches.set(matchId, { worker, players });
    try {
      const create = { kind: 'create', matchId, players, offers } as const;
      const reply = await worker.request(create, REQUEST_TIMEOUT_MS);
      return { answers: [reply.answers[0], reply.answers[1]] };
    } catch (err) {
      this.matches.delete(request.matchId);
      throw err;
    }
  }

  /**
   * Answers a dropped player's new offer when their seat in `matchId` waits for them here;
   * RoomError `no_seat` otherwise (no such match here, not their match, or the grace is over).
   */
  async rejoinMatch(req: {
    matchId: string;
    userId: string;
    offerSdp: string;
  }): Promise<{ answer: string }> {
    const hosted = this.matches.get(req.matchId);
    if (!hosted || !hosted.players.some((p) => p.userId === req.userId))
      throw new RoomError('no_seat', `no seat of ${req.userId} in ${req.matchId} here`);
    const { matchId, userId, offerSdp: offer } = req;
    return hosted.worker.request({ kind: 'rejoin', matchId, userId, offer }, REQUEST_TIMEOUT_MS);
  }

  /** Ends a match (admin); false if no such match is running. */
  async endMatch(matchId: string, reason: EndRequestReason = 'admin_ended'): Promise<boolean> {
    const hosted = this.matches.get(matchId);
    if (!hosted) return false;
    const { found } = await hosted.worker.request(
      { kind: 'end', matchId, reason },
      REQUEST_TIMEOUT_MS,
    );
    return found;
  }

  /**
   * Tells every connected player server_stopping, lets that flush, closes every peer.
   * Every match's matchEnded has been emitted when this resolves. Bounded in time.
   */
  async stopAll(): Promise<void> {
    const timeoutMs = this.stopTimeoutMs;
    await Promise.all(
      this.pool.alive().map((w) =>
        w.request({ kind: 'stop', timeoutMs }, timeoutMs + 1_000).catch((err: unknown) => {
          this.options.logger.warn({ err, worker: w.index }, 'stop did not finish');
        }),
      ),
    );
    // A worker that did not answer cannot report its matches; end them here, once.
    for (const matchId of [...this.matches.keys()]) this.endHere(matchId, 'server_stopping');
  }

  /**
   * Process ids of the live room workers (each runs in a child process of its own), so that
   * what the rooms cost can be read from /proc beside this process's figures.
   */
  workerPids(): number[] {
    return this.pool.alive().flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
  }

  /**
   * Matches, players and the worst worker's tick lag p99: the registry's heartbeat asks twice a
   * second, so the workers answer with three numbers, not their sample windows.
   */
  async load(): Promise<{ matches: number; players: number; tickLagP99Ms: number }> {
    const all = await Promise.all(
      this.pool.accepting().map((w) => w.request({ kind: 'load' }, REQUEST_TIMEOUT_MS)),
    );
    return {
      matches: all.reduce((n, l) => n + l.matches, 0),
      players: all.reduce((n, l) => n + l.players, 0),
      tickLagP99Ms: Math.max(0, ...all.map((l) => l.tickLagP99Ms)),
    };
  }

  async stats(): Promise<RoomHostStats> {
    const all = await Promise.all(
      this.pool.accepting().map((w) => w.request({ kind: 'stats' }, REQUEST_TIMEOUT_MS)),
    );
    const sum = (pick: (s: WorkerStats) => number) => all.reduce((n, s) => n + pick(s), 0);
    const merged = (pick: (s: WorkerStats) => readonly number[]) => percentiles(all.flatMap(pick));
    return {
      workers: all.length,
      matches: sum((s) => s.matches),
      players: sum((s) => s.players),
      peers: sum((s) => s.peers),
      tickMs: merged((s) => s.tickMsSamples),
      tickLagMs: merged((s) => s.tickLagMsSamples),
      rttMs: merged((s) => s.rttMsSamples),
      malformedDropped: sum((s) => s.malformedDropped),
      unknownCodes: sum((s) => s.unknownCodes),
      unexpectedMessages: sum((s) => s.unexpectedMessages),
      inputsDropped: sum((s) => s.inputsDropped),
      staleInputs: sum((s) => s.staleInputs),
      snapshotBytes: sum((s) => s.snapshotBytes),
      workerFailures: this.pool.failureCount,
      rtt: all.flatMap((s) => s.rtt),
    };
  }

  /** Stops every match, shuts the transport down inside each worker, ends the threads. */
  close(): Promise<void> {
    this.closing ??= this.closeWorkers();
    return this.closing;
  }

  private async closeWorkers(): Promise<void> {
    this.pool.close();
    await this.stopAll();
    await Promise.all(
      this.pool.alive().map(async (w) => {
        await w.request({ kind: 'shutdown' }, REQUEST_TIMEOUT_MS).catch((err: unknown) => {
          this.options.logger.warn({ err, worker: w.index }, 'transport shutdown failed');
        });
        await w.terminate();
      }),
    );
  }

  private leastLoaded(): WorkerHandle {
    const load = (w: WorkerHandle) =>
      [...this.matches.values()].filter((m) => m.worker === w).length;
    const [best] = this.pool.accepting().sort((a, b) => load(a) - load(b));
    if (!best) throw new RoomError('no_capacity', 'no room worker is running');
    return best;
  }

  private onWorkerEvent(event: WorkerEvent): void {
    if (event.name === 'matchStarted') {
      const hosted = this.matches.get(event.data.matchId);
      if (hosted) hosted.startedAt = performance.now();
      this.emit('matchStarted', event.data);
    } else if (event.name === 'playerLeft') {
      this.emit('playerLeft', event.data);
    } else if (this.matches.delete(event.data.matchId)) {
      this.emit('matchEnded', event.data);
    }
  }

  /** A crashed worker's matches end with server_error, each exactly once. */
  private onWorkerFailed(worker: WorkerHandle): void {
    for (const [matchId, hosted] of this.matches) {
      if (hosted.worker === worker) this.endHere(matchId, 'server_error');
    }
  }

  private endHere(matchId: string, reason: 'server_stopping' | 'server_error'): void {
    const hosted = this.matches.get(matchId);
    if (!hosted) return;
    this.matches.delete(matchId);
    const durationSec = hosted.startedAt ? (performance.now() - hosted.startedAt) / 1000 : 0;
    this.emit('matchEnded', {
      matchId,
      reason,
      durationSec,
      players: hosted.players,
      winnerSlot: -1,
      // The worker that knew the score is gone or going: the time still counts.
      stats: [NO_STATS, NO_STATS],
    });
  }

  // Read-only views for the admin API and metrics.

  /** The matches this host runs, connecting or started. */
  liveMatches(): LiveMatch[] {
    const now = performance.now();
    return [...this.matches].map(([matchId, hosted]) => ({
      matchId,
      players: hosted.players,
      startedAt:
        hosted.startedAt === undefined
          ? null
          : Math.round(performance.timeOrigin + hosted.startedAt),
      // The room loop runs at a fixed rate, so elapsed time gives its tick; the worker keeps
      // the exact count.
      tick:
        hosted.startedAt === undefined
          ? null
          : Math.floor(((now - hosted.startedAt) / 1000) * TICK_RATE),
    }));
  }

  /** The id of the match a player (by username) is in on this host, if any. */
  matchOf(username: string): string | undefined {
    for (const [matchId, hosted] of this.matches) {
      if (hosted.players.some((p) => p.username === username)) return matchId;
    }
    return undefined;
  }
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
