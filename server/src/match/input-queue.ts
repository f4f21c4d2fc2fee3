// Per-player input buffer between the network and the tick. Bounded: a client that sends
// faster than the tick rate loses the excess instead of growing server memory. Kept short:
// a burst (a client catching up after a stalled frame) would otherwise sit in the queue as
// lasting input delay, one tick per queued input, for the rest of the match.

/** Inputs that may wait for a tick; older ones are skipped (their fire presses kept). */
export const MAX_BACKLOG = 2;
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

  /** The next input's buttons; with none queued, the last buttons held (no input = no change). */
  take(): number {
    let fire = 0;
    while (this.items.length > MAX_BACKLOG + 1) {
      fire |= (this.items.shift()?.buttons ?? 0) & FIRE;
      this.skipped++;
    }
    const next = this.items.shift();
    if (!next) return this.lastButtons;
    this.lastButtons = next.buttons;
    this.lastTakenSeq = next.seq;
    // A skipped shot fires now; it is not held into later ticks.
    return next.buttons | fire;
  }

  get length(): number {
    return this.items.length;
  }
}
