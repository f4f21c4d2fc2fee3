// Everything a room worker does, minus the thread plumbing (worker.ts): answers offers,
// runs rooms, reports events and stats.
import type { Slot } from '../../../shared/src/protocol/index.js';
import {
  isOfferRefusal,
  isTransportError,
  type Peer,
  type RtcServer,
  type TransportLogger,
} from '../transport/index.js';
import { randomInt } from 'node:crypto';
import { asteroidsGame } from './game.js';
import { RoomMetrics } from './metrics.js';
import { Room, type RoomListener } from './room.js';
import type { Scheduler } from './scheduler.js';
import {
  RoomError,
  type EndRequestReason,
  type MatchPlayers,
  type ReplyValue,
  type WorkerEvent,
  type WorkerLoad,
  type WorkerSettings,
  type WorkerStats,
} from './worker-protocol.js';

interface Deps {
  readonly settings: WorkerSettings;
  readonly rtc: RtcServer;
  readonly scheduler: Scheduler;
  readonly logger: TransportLogger;
  readonly emit: (event: WorkerEvent) => void;
}

export class MatchWorker {
  private readonly rooms = new Map<string, Room<unknown>>();
  private readonly pending = new Set<string>();
  private readonly metrics = new RoomMetrics();
  private stopping = false;
  private onRoomsEmpty: (() => void) | undefined;

  constructor(private readonly deps: Deps) {}

  async create(
    matchId: string,
    players: MatchPlayers,
    offers: readonly [string, string],
  ): Promise<ReplyValue['create']> {
    if (this.stopping) throw new RoomError('server_stopping', 'the server is stopping');
    if (this.rooms.has(matchId) || this.pending.has(matchId)) {
      throw new RoomError('duplicate_match', `match ${matchId} exists`);
    }
    this.pending.add(matchId);
    try {
      const answered = await this.answerBoth(offers);
      if (this.stopping) throw new RoomError('server_stopping', 'the server is stopping');
      this.startRoom(matchId, players, [answered[0].peer, answered[1].peer]);
      return { answers: [answered[0].answerSdp, answered[1].answerSdp] };
    } finally {
      this.pending.delete(matchId);
    }
  }

  /**
   * A player's new offer for their running match: answered only while the seat may be taken
   * back, and the seat is theirs alone (the user id the match was made with).
   */
  async rejoin(matchId: string, userId: string, offer: string): Promise<ReplyValue['rejoin']> {
    const waiting = () => this.rooms.get(matchId)?.canRejoin(userId) === true && !this.stopping;
    if (!waiting()) throw new RoomError('no_seat', `no seat waits for ${userId} in ${matchId}`);
    let answered;
    try {
      answered = await this.deps.rtc.answer(offer, {
        timeoutMs: this.deps.settings.answerTimeoutMs,
      });
    } catch (err) {
      throw answerFailure([{ status: 'rejected', reason: err }]);
    }
    // The grace may have run out, or the match ended, while the offer was being answered.
    if (!waiting() || !this.rooms.get(matchId)?.rejoin(userId, answered.peer)) {
      answered.peer.close();
      throw new RoomError('no_seat', `the seat in ${matchId} no longer waits`);
    }
    return { answer: answered.answerSdp };
  }

  end(matchId: string, reason: EndRequestReason): ReplyValue['end'] {
    const room = this.rooms.get(matchId);
    room?.end(reason);
    return { found: room !== undefined };
  }

  /**
   * Tells every player why (server_stopping, or server_error when this worker failed) and
   * waits (bounded) for every room to close.
   */
  async stop(
    timeoutMs: number,
    reason: 'server_stopping' | 'server_error' = 'server_stopping',
  ): Promise<ReplyValue['stop']> {
    this.stopping = true;
    for (const room of this.rooms.values()) room.end(reason);
    if (this.rooms.size > 0) {
      await new Promise<void>((resolve) => {
        const cancel = this.deps.scheduler.after(timeoutMs, resolve);
        this.onRoomsEmpty = () => {
          cancel();
          resolve();
        };
      });
    }
    const unfinished = this.rooms.size;
    if (unfinished > 0) this.deps.logger.warn({ unfinished }, 'rooms still open after stop');
    this.deps.rtc.close();
    return { unfinished };
  }

  load(): WorkerLoad {
    let players = 0;
    for (const room of this.rooms.values()) players += room.connectedPlayers;
    return {
      matches: this.rooms.size,
      players,
      tickLagP99Ms: this.metrics.tickLagMs.percentiles().p99,
    };
  }

  stats(): WorkerStats {
    const m = this.metrics;
    const rooms = [...this.rooms.values()];
    return {
      matches: rooms.length,
      players: rooms.reduce((n, r) => n + r.connectedPlayers, 0),
      peers: this.deps.rtc.peerCount,
      tickMsSamples: m.tickMs.values(),
      tickLagMsSamples: m.tickLagMs.values(),
      rttMsSamples: m.rttMs.values(),
      malformedDropped: m.malformedDropped,
      unknownCodes: m.unknownCodes,
      unexpectedMessages: m.unexpectedMessages,
      inputsDropped: m.inputsDropped,
      staleInputs: m.staleInputs,
      snapshotBytes: m.snapshotBytes,
      rtt: rooms.flatMap((r) =>
        r.rtts().map(({ userId, rttMs }) => ({ matchId: r.matchId, userId, rttMs: rttMs ?? null })),
      ),
    };
  }

  private async answerBoth(offers: readonly [string, string]) {
    const timeoutMs = this.deps.settings.answerTimeoutMs;
    const results = await Promise.allSettled(
      offers.map((offer) => this.deps.rtc.answer(offer, { timeoutMs })),
    );
    const [a, b] = results;
    if (a?.status === 'fulfilled' && b?.status === 'fulfilled') return [a.value, b.value] as const;
    for (const r of results) if (r.status === 'fulfilled') r.value.peer.close();
    throw answerFailure(results);
  }

  private startRoom(matchId: string, players: MatchPlayers, peers: readonly [Peer, Peer]): void {
    const room = new Room({
      matchId,
      players,
      peers,
      game: asteroidsGame,
      seed: randomInt(0, 2 ** 32),
      settings: this.deps.settings,
      scheduler: this.deps.scheduler,
      metrics: this.metrics,
      listener: this.listener(matchId, players),
    });
    this.rooms.set(matchId, room);
  }

  private listener(matchId: string, players: MatchPlayers): RoomListener {
    const { emit } = this.deps;
    return {
      started: () => emit({ name: 'matchStarted', data: { matchId } }),
      // Logged once, by the main thread, where it is recorded (realtime.ts).
      ended: (event) => emit({ name: 'matchEnded', data: event }),
      playerLeft: (slot: Slot) =>
        emit({ name: 'playerLeft', data: { matchId, userId: players[slot].userId } }),
      closed: () => {
        this.rooms.delete(matchId);
        if (this.rooms.size === 0) this.onRoomsEmpty?.();
      },
    };
  }
}

// A refused offer is that player's fault (bad_offer, with their slots); anything else is ours.
function answerFailure(results: readonly PromiseSettledResult<unknown>[]): RoomError {
  const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : undefined));
  const badSlots = ([0, 1] as const).filter((slot) => isOfferRefusal(reasons[slot]));
  const slot = reasons.findIndex((r) => r !== undefined);
  const reason = reasons[slot];
  const message = `player ${slot}: ${reason instanceof Error ? reason.message : String(reason)}`;
  if (badSlots.length > 0) return new RoomError('bad_offer', message, badSlots);
  if (isTransportError(reason) && reason.code === 'timeout')
    return new RoomError('timeout', message);
  return new RoomError('internal', message);
}
