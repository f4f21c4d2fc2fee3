// Per-player input buffer between the network and the tick. Bounded: a client that sends
// faster than the tick rate loses the excess instead of growing server memory. Kept short:
// a burst (a client catching up after a stalled frame) would otherwise sit in the queue as
// lasting input delay, one tick per queued input, for the rest of the match.

/** Inputs that may wait for a tick; older ones are skipped (their fire presses kept). */
export const MAX_BACKLOG = 2;
/**
 * Ticks in a row that may play the held buttons as the player's next input before it arrives.
 * Clients send an input frame at once when their buttons change and never let two ticks go
 * without one (docs/protocol.md), so a tick between two frames finds nothing queued: it
 * plays the held buttons as the next `seq` and acknowledges it, and that input, when it comes
 * with the same buttons, is already played. A client silent longer is not run ahead of.
 */
export const MAX_PROVISIONAL = 2;
const FIRE = 8; // Button.fire: a shot is never lost to trimming

export interface QueuedInput {
  readonly seq: number;
  readonly buttons: number;
}

export type PushResult = 'queued' | 'dropped' | 'stale';

export class InputQueue {
  private readonly items: QueuedInput[] = [];
  private lastSeq = -1;
  private lastButtons = 0;
  /** Seq of the input the last take() applied (0 before the first): the client's ack. */
  lastTakenSeq = 0;
  dropped = 0;
  stale = 0;

  constructor(private readonly capacity: number) {}

  /** Refuses inputs not newer than the last accepted one (the state channel reorders). */
  push(input: QueuedInput): PushResult {
    if (input.seq <= this.lastSeq) {
      this.stale++;
      return 'stale';
    }
    if (this.items.length >= this.capacity) {
      this.dropped++;
      return 'dropped';
    }
    this.lastSeq = input.seq;
    this.items.push(input);
    return 'queued';
  }

  /** Inputs skipped to keep the backlog short. */
  skipped = 0;
  /** Inputs that came after a tick had played the held buttons in their place. */
  late = 0;
  /** Unchanged inputs acknowledged without a tick, a newer input being queued behind them. */
  merged = 0;
  private provisional = 0;

  /**
   * The next input's buttons. With none queued, the last buttons held (no input = no change),
   * played as the next input (up to MAX_PROVISIONAL ticks in a row, once inputs have begun).
   */
  take(): number {
    let fire = 0;
    // Already played by a tick that found none queued (with the held buttons): a shot among
    // them that the held buttons did not fire still fires.
    while ((this.items[0]?.seq ?? Infinity) <= this.lastTakenSeq) {
      fire |= (this.items.shift()?.buttons ?? 0) & FIRE & ~this.lastButtons;
      this.late++;
    }
    // An unchanged input with a newer one behind it: the buttons held are already its buttons,
    // so it is acknowledged without a tick of its own and the newer one is played now. This is
    // what brings a client that sends every other tick (two inputs a frame) onto the ticks
    // of its inputs: otherwise each frame's older input would take the tick its newer one
    // arrived for, and every input would wait a tick. It costs the client's prediction one
    // tick of the held buttons, corrected by the next snapshot.
    const head = this.items[0];
    if (this.items.length >= 2 && head?.buttons === this.lastButtons) {
      this.items.shift();
      this.lastTakenSeq = head.seq;
      this.merged++;
    }
    while (this.items.length > MAX_BACKLOG + 1) {
      fire |= (this.items.shift()?.buttons ?? 0) & FIRE;
      this.skipped++;
    }
    const next = this.items.shift();
    if (!next) {
      if (this.lastSeq > 0 && this.provisional < MAX_PROVISIONAL) {
        this.provisional++;
        this.lastTakenSeq++;
      }
      return this.lastButtons | fire;
    }
    this.provisional = 0;
    this.lastButtons = next.buttons;
    this.lastTakenSeq = next.seq;
    // A skipped shot fires now; it is not held into later ticks.
    return next.buttons | fire;
  }

  get length(): number {
    return this.items.length;
  }
}
