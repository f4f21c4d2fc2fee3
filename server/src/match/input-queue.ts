// Per-player input buffer between the network and the tick. Bounded: a client that sends
// faster than the tick rate loses the excess instead of growing server memory.

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

  /** The next input's buttons; with none queued, the last buttons held (no input = no change). */
  take(): number {
    const next = this.items.shift();
    if (next) {
      this.lastButtons = next.buttons;
      this.lastTakenSeq = next.seq;
    }
    return this.lastButtons;
  }

  get length(): number {
    return this.items.length;
  }
}
