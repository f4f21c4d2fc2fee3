// One player's side of a room: their peer, input queue, heartbeat and ping bookkeeping.
import { encodePing, InputWindow, type Slot } from '../../../shared/src/protocol/index.js';
import type { Peer } from '../transport/index.js';
import { InputQueue } from './input-queue.js';
import { SeatViews, type PackedViews } from './packed-views.js';
import type { Cancel } from './scheduler.js';
import type { MatchPlayer } from './worker-protocol.js';

/**
 * Ticks of sent views a seat keeps as delta baselines: 32 ticks (16 snapshots at 30 Hz) is
 * 533 ms, far above the age of the acked view on any playable link (RTT plus an input frame's
 * 2 ticks); an older ack gets a full snapshot. They are packed in typed arrays allocated with
 * the match (packed-views.ts: 24 KB a match at 30 Hz), so the views pin no state of the match.
 */
export const SEAT_HISTORY_TICKS = 32;

/** How many views a match keeps when it sends a snapshot every `snapshotEvery` ticks. */
export const historyViews = (snapshotEvery: number): number =>
  Math.ceil(SEAT_HISTORY_TICKS / snapshotEvery);

// Pongs for pings older than this many newer pings are ignored.
const MAX_PINGS_IN_FLIGHT = 8;

export class Seat {
  queue: InputQueue;
  /** Hands on each input of the redundant input frames once, in order. */
  inputs = new InputWindow();
  /** Views sent to this player: their snapshot deltas' baselines. */
  history: SeatViews;
  /** Newest snapshot tick this player acknowledged. */
  ackTick = 0;
  /** Clock value of the last frame received from this player, on either channel. */
  lastHeard: number;
  /** Latest measured round-trip time, ms. */
  rttMs: number | undefined;
  peerClosed = false;
  /**
   * The player dropped mid-match and the seat waits for them to rejoin (RECONNECT_GRACE_MS);
   * `why` is how they dropped, the end reason if they do not come back.
   */
  away:
    | {
        readonly why: 'opponent_left' | 'timeout';
        readonly giveUp: Cancel;
        /** Scheduler time when the seat is given up. */
        readonly until: number;
      }
    | undefined;
  private readonly pings = new Map<number, number>();
  private nextPingId = 1;

  constructor(
    readonly slot: Slot,
    readonly player: MatchPlayer,
    public peer: Peer,
    private readonly inputQueueSize: number,
    now: number,
    /** The views the match sent (both seats get the same). */
    private readonly views: PackedViews,
  ) {
    this.queue = new InputQueue(inputQueueSize);
    this.history = new SeatViews(views);
    this.lastHeard = now;
  }

  /**
   * The player rejoined on a new connection, with a new client: their inputs count from 1
   * again, and their next snapshot is a full frame (no baseline they could still hold).
   */
  rejoin(peer: Peer): void {
    this.peer = peer;
    this.peerClosed = false;
    this.queue = new InputQueue(this.inputQueueSize);
    this.inputs = new InputWindow();
    this.history = new SeatViews(this.views); // what the old connection got is no baseline
    this.ackTick = 0;
    this.pings.clear();
  }

  get ackInputSeq(): number {
    return this.queue.lastTakenSeq;
  }

  ping(now: number): void {
    const id = this.nextPingId++;
    this.pings.set(id, now);
    this.pings.delete(id - MAX_PINGS_IN_FLIGHT);
    this.peer.sendControl(encodePing({ id, t: now }));
  }

  /** RTT from our own send time, so a client cannot fake it by echoing another `t`. */
  pong(id: number, now: number): number | undefined {
    const sentAt = this.pings.get(id);
    if (sentAt === undefined) return undefined;
    this.pings.delete(id);
    this.rttMs = now - sentAt;
    return this.rttMs;
  }
}
