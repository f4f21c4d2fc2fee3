// One match: two seats, a fixed-rate loop, heartbeats and the end of the match.
// The game's state lives behind GameRules; the room only feeds it inputs and ships snapshots.
import {
  decodeControl,
  decodeState,
  encodeError,
  encodeMatchEnd,
  encodeMatchStart,
  encodeOpponentAway,
  encodeOpponentBack,
  encodeOpponentLeft,
  encodePong,
  encodeServerStopping,
  type ControlMessage,
  type DecodeResult,
  type EndReasonName,
  type ErrorName,
  type Slot,
  type StateMessage,
  type WinnerSlot,
} from '../../../shared/src/protocol/index.js';
import { TICK_RATE } from '../../../shared/src/sim/constants.js';
import type { GameRules } from './game.js';
import type { RoomMetrics } from './metrics.js';
import type { Cancel, Scheduler } from './scheduler.js';
import type { Peer } from '../transport/index.js';
import type { MatchEndedEvent, MatchPlayer, RoomSettings } from './worker-protocol.js';
import { PackedViews } from './packed-views.js';
import { historyViews, Seat } from './seat.js';

export interface RoomListener {
  started(): void;
  /** Exactly once per room. */
  ended(event: MatchEndedEvent): void;
  /** A player left, went silent or was refused; fires before ended. */
  playerLeft(slot: Slot): void;
  /** Both peers are closed; the room can be forgotten. */
  closed(): void;
}

interface RoomDeps<S> {
  readonly matchId: string;
  /** Seeds the game's generator: each match its own field of asteroids. */
  readonly seed: number;
  readonly players: readonly [MatchPlayer, MatchPlayer];
  /** Each slot's connection. */
  readonly peers: readonly [Peer, Peer];
  readonly game: GameRules<S>;
  readonly settings: RoomSettings;
  readonly scheduler: Scheduler;
  readonly metrics: RoomMetrics;
  readonly listener: RoomListener;
}

type Phase = 'connecting' | 'running' | 'ended';
const other = (slot: Slot): Slot => (slot === 0 ? 1 : 0);

export class Room<S> {
  readonly matchId: string;
  private phase: Phase = 'connecting';
  private state: S;
  private tick = 0;
  private startedAt = 0;
  private readonly seats: readonly [Seat, Seat];
  private timers: Cancel[] = [];
  private readonly snapshotEvery: number;
  private toldClosed = false;

  constructor(private readonly deps: RoomDeps<S>) {
    const { players, peers, settings, scheduler } = deps;
    this.matchId = deps.matchId;
    this.state = deps.game.init(deps.seed, deps.settings.matchTicks);
    this.snapshotEvery = Math.max(1, Math.round(TICK_RATE / settings.snapshotRate));
    const now = scheduler.now();
    const views = new PackedViews(historyViews(this.snapshotEvery));
    this.seats = [
      new Seat(0, players[0], peers[0], settings.inputQueueSize, now, views),
      new Seat(1, players[1], peers[1], settings.inputQueueSize, now, views),
    ];
    for (const seat of this.seats) this.attach(seat, seat.peer);
    this.timers.push(scheduler.after(settings.connectTimeoutMs, () => this.connectTimedOut()));
  }

  get running(): boolean {
    return this.phase === 'running';
  }
  /** Players whose peer is still open. */
  get connectedPlayers(): number {
    return this.seats.filter((s) => s.peer.isOpen && !s.away).length;
  }

  /**
   * Whether a new connection of `userId` may take their seat: the match runs, seats may be
   * held (RECONNECT_GRACE_MS > 0), and one seat is theirs.
   */
  canRejoin(userId: string): boolean {
    const holds = (this.deps.settings.reconnectGraceMs ?? 0) > 0;
    return this.phase === 'running' && holds && this.seats.some((s) => s.player.userId === userId);
  }

  /**
   * Gives a player their seat back on a new connection (answered, maybe not open yet). False,
   * and the peer is not taken, when they have no seat to take.
   */
  rejoin(userId: string, peer: Peer): boolean {
    const seat = this.seats.find((s) => s.player.userId === userId);
    if (!seat || !this.canRejoin(userId)) return false;
    // Their old connection still looks live here (a reload or a dead network the server has
    // not noticed yet): it is given up now, and the match waits for the new one.
    if (!seat.away) this.hold(seat, 'opponent_left');
    const previous = seat.peer;
    seat.rejoin(peer);
    this.attach(seat, peer);
    // An earlier rejoin whose channels never opened: only the newest connection counts.
    previous.close();
    if (peer.isOpen) this.returned(seat);
    return true;
  }
  rtts(): { userId: string; rttMs: number | undefined }[] {
    return this.seats.map((s) => ({ userId: s.player.userId, rttMs: s.rttMs }));
  }

  /** Ends the match from outside (admin, natural end, server stop or failure). No-op once ended. */
  end(
    reason: 'ended' | 'admin_ended' | 'server_stopping' | 'server_error',
    winnerSlot: WinnerSlot = -1,
  ): void {
    this.finish(reason, { winnerSlot });
  }

  /** Wires `peer` to `seat`; a connection the seat has since replaced is ignored. */
  private attach(seat: Seat, peer: Peer): void {
    const current = () => seat.peer === peer;
    peer.onOpen(() => {
      if (!current()) return;
      if (seat.away) this.returned(seat);
      else this.maybeStart();
    });
    peer.onClose(() => current() && this.peerClosed(seat));
    peer.onControl(
      (bytes) =>
        current() && this.receive(seat, decodeControl(bytes), (m) => this.control(seat, m)),
    );
    peer.onState(
      (bytes) =>
        current() && this.receive(seat, decodeState(bytes), (m) => this.stateFrame(seat, m)),
    );
  }

  private maybeStart(): void {
    if (this.phase !== 'connecting' || !this.seats.every((s) => s.peer.isOpen)) return;
    const { scheduler, settings } = this.deps;
    this.phase = 'running';
    this.startedAt = scheduler.now();
    for (const seat of this.seats) {
      seat.lastHeard = this.startedAt;
      seat.peer.sendControl(this.matchStart(seat));
    }
    this.timers.push(
      scheduler.every(1000 / TICK_RATE, (due) => this.step(due)),
      scheduler.every(settings.pingIntervalMs, () => this.pingAll()),
    );
    this.deps.listener.started();
  }

  /** Every frame refreshes the heartbeat, even one we then drop. */
  private receive<M>(seat: Seat, result: DecodeResult<M>, handle: (m: M) => void): void {
    if (this.phase === 'ended') return; // the last message is sent; nothing more to say
    seat.lastHeard = this.deps.scheduler.now();
    if (result.ok) handle(result.msg);
    else if (result.error === 'malformed') this.deps.metrics.malformedDropped++;
    else this.refuse(seat, 'unknown_code');
  }

  private control(seat: Seat, msg: ControlMessage): void {
    const now = this.deps.scheduler.now();
    switch (msg.type) {
      case 'ping':
        seat.peer.sendControl(encodePong({ id: msg.id, t: msg.t }));
        return;
      case 'pong': {
        const rtt = seat.pong(msg.id, now);
        if (rtt !== undefined) this.deps.metrics.rttMs.add(rtt);
        return;
      }
      case 'leave':
        this.left(seat.slot, 'opponent_left');
        return;
      default:
        this.refuse(seat, 'unexpected_message');
    }
  }

  private stateFrame(seat: Seat, msg: StateMessage): void {
    if (msg.type !== 'input') return this.refuse(seat, 'unexpected_message');
    if (this.phase !== 'running') return;
    // Only a tick this player was really sent can be a baseline.
    if (msg.ackSnapshotTick > seat.ackTick && seat.history.has(msg.ackSnapshotTick)) {
      seat.ackTick = msg.ackSnapshotTick;
    }
    const fresh = seat.inputs.accept(msg);
    if (fresh.length === 0) this.deps.metrics.staleInputs++;
    for (const input of fresh) {
      if (seat.queue.push(input) === 'dropped') this.deps.metrics.inputsDropped++;
    }
  }

  /** Tells the player why, then treats them as gone (their opponent is told at once). */
  private refuse(seat: Seat, code: ErrorName): void {
    if (this.phase === 'ended') return;
    const { metrics } = this.deps;
    if (code === 'unknown_code') metrics.unknownCodes++;
    else metrics.unexpectedMessages++;
    seat.peer.sendControl(encodeError({ code }));
    this.left(seat.slot, 'opponent_left');
  }

  /**
   * One tick: the simulation and the snapshots' encoding now; their sending is returned, and
   * the scheduler runs it once every room of the loop has stepped.
   */
  private step(due: number): (() => void) | undefined {
    if (this.phase !== 'running') return;
    const { game, metrics, scheduler } = this.deps;
    const began = scheduler.now();
    metrics.tickLagMs.add(Math.max(0, began - due));
    // Paused while a seat waits for its player: nothing moves, the clock of the match included.
    if (this.seats.some((s) => s.away)) {
      this.reapSilent(began);
      return;
    }
    this.tick++;
    this.state = game.step(this.state, [this.seats[0].queue.take(), this.seats[1].queue.take()]);
    const frames: readonly [Uint8Array, Uint8Array] | undefined =
      this.tick % this.snapshotEvery === 0
        ? [game.snapshot(this.state, this.seats[0]), game.snapshot(this.state, this.seats[1])]
        : undefined;
    const outcome = game.outcome(this.state);
    if (outcome) {
      // The deciding snapshot goes before the match's end, so the results show its scores.
      if (frames) this.sendSnapshots(frames);
      this.finish('ended', { winnerSlot: outcome.winnerSlot });
      metrics.tickMs.add(scheduler.now() - began);
      return;
    }
    this.reapSilent(began);
    const stepMs = scheduler.now() - began;
    if (!frames) {
      metrics.tickMs.add(stepMs);
      return;
    }
    return () => {
      const sending = scheduler.now();
      this.sendSnapshots(frames);
      metrics.tickMs.add(stepMs + scheduler.now() - sending);
    };
  }

  private sendSnapshots(frames: readonly [Uint8Array, Uint8Array]): void {
    this.deps.metrics.snapshotBytes += frames[0].length + frames[1].length;
    this.seats[0].peer.sendState(frames[0]);
    this.seats[1].peer.sendState(frames[1]);
  }

  private reapSilent(now: number): void {
    const limit = this.deps.settings.heartbeatTimeoutMs;
    const silent = this.seats
      .filter((s) => !s.away && now - s.lastHeard > limit)
      .sort((a, b) => a.lastHeard - b.lastHeard)[0];
    if (silent && !this.hold(silent, 'timeout')) this.left(silent.slot, 'timeout');
  }

  private pingAll(): void {
    const now = this.deps.scheduler.now();
    for (const seat of this.seats) if (!seat.away) seat.ping(now);
  }

  /**
   * A running match keeps a dropped player's seat for RECONNECT_GRACE_MS, paused; the
   * opponent is told how long. False when there is no grace (the drop ends the match).
   */
  private hold(seat: Seat, why: 'opponent_left' | 'timeout'): boolean {
    const graceMs = this.deps.settings.reconnectGraceMs ?? 0;
    if (this.phase !== 'running' || graceMs <= 0 || seat.away) return false;
    const giveUp = this.deps.scheduler.after(graceMs, () => {
      seat.away = undefined;
      this.left(seat.slot, why);
    });
    seat.away = { why, giveUp, until: this.deps.scheduler.now() + graceMs };
    // A silent player's connection is given up; they come back on a new one.
    seat.peer.close();
    this.seats[other(seat.slot)].peer.sendControl(encodeOpponentAway({ graceMs }));
    return true;
  }

  /** The dropped player's new connection is open: the match goes on from where it paused. */
  private returned(seat: Seat): void {
    if (this.phase !== 'running' || !seat.away) return;
    seat.away.giveUp();
    seat.away = undefined;
    seat.lastHeard = this.deps.scheduler.now();
    seat.peer.sendControl(this.matchStart(seat));
    const opponent = this.seats[other(seat.slot)];
    // Both dropped: the one back first is told the match still waits for the other (its
    // client takes the new match_start as play resumed otherwise).
    if (opponent.away) {
      const graceMs = Math.max(0, opponent.away.until - this.deps.scheduler.now());
      seat.peer.sendControl(encodeOpponentAway({ graceMs }));
    } else {
      opponent.peer.sendControl(encodeOpponentBack());
    }
  }

  private matchStart(seat: Seat): Uint8Array {
    const { settings } = this.deps;
    return encodeMatchStart({
      matchId: this.matchId,
      you: seat.slot,
      opponent: this.seats[other(seat.slot)].player.username,
      tickRate: TICK_RATE,
      snapshotRate: settings.snapshotRate,
      serverTick: this.tick,
      matchTicks: settings.matchTicks,
    });
  }

  private connectTimedOut(): void {
    if (this.phase === 'connecting') this.finish('connect_timeout', { winnerSlot: -1 });
  }

  private left(slot: Slot, reason: 'opponent_left' | 'timeout'): void {
    if (this.phase === 'ended') return;
    this.deps.listener.playerLeft(slot);
    // A forfeit: the player who stayed wins, if there was a match to win.
    const winnerSlot = this.phase === 'running' ? other(slot) : -1;
    this.finish(reason, { winnerSlot, leaver: slot });
  }

  private peerClosed(seat: Seat): void {
    seat.peerClosed = true;
    if (this.phase !== 'ended' && !seat.away && !this.hold(seat, 'opponent_left'))
      this.left(seat.slot, 'opponent_left');
    this.maybeClosed();
  }

  /** Once ended with both connections closed, the room can be forgotten (told once). */
  private maybeClosed(): void {
    if (this.phase !== 'ended' || this.toldClosed || !this.seats.every((s) => s.peerClosed)) return;
    this.toldClosed = true;
    this.deps.listener.closed();
  }

  private finish(reason: EndReasonName, how: { winnerSlot: WinnerSlot; leaver?: Slot }): void {
    if (this.phase === 'ended') return;
    const started = this.phase === 'running';
    this.phase = 'ended';
    for (const cancel of this.timers.splice(0)) cancel();
    for (const seat of this.seats) seat.away?.giveUp();
    const now = this.deps.scheduler.now();
    const durationSec = started ? (now - this.startedAt) / 1000 : 0;
    // The result goes out first: by the time a player hears the news and asks for a new
    // match, the server already knows this one is over.
    const stats = this.deps.game.stats(this.state);
    const { matchId, players } = this.deps;
    this.deps.listener.ended({
      matchId,
      players,
      reason,
      durationSec,
      winnerSlot: how.winnerSlot,
      stats,
    });
    for (const seat of this.seats) this.farewell(seat, reason, how);
    // Give each client a moment to read its last message and close first.
    this.deps.scheduler.after(this.deps.settings.closeGraceMs, () => {
      for (const seat of this.seats) seat.peer.close();
      // Seats whose connection had already dropped hear no close of it again.
      this.maybeClosed();
    });
  }

  /** The one terminal message each player still connected gets. */
  private farewell(
    seat: Seat,
    reason: EndReasonName,
    how: { winnerSlot: WinnerSlot; leaver?: Slot },
  ) {
    const { peer, slot } = seat;
    if (slot === how.leaver) {
      // They left or were refused; a silent player may still be listening.
      if (reason === 'timeout')
        peer.sendControl(encodeMatchEnd({ reason, winnerSlot: how.winnerSlot }));
    } else if (reason === 'opponent_left' || reason === 'timeout') {
      peer.sendControl(encodeOpponentLeft());
    } else if (reason === 'server_stopping') {
      peer.sendControl(encodeServerStopping());
    } else {
      peer.sendControl(encodeMatchEnd({ reason, winnerSlot: how.winnerSlot }));
    }
  }
}
