// Timers on a hand-driven clock, for tests and replays: nothing runs until time is moved.
import type { TimerApi } from './scheduler.js';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
}

export class ManualTimers implements TimerApi {
  private time = 0;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;
  /** Every delay ever asked for, in order (lets tests check the schedule). */
  readonly delays: number[] = [];

  now = (): number => this.time;

  setTimeout = (fn: () => void, ms: number): number => {
    this.delays.push(ms);
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), order: id, fn });
    return id;
  };

  clearTimeout = (id: unknown): void => {
    this.timers.delete(id as number);
  };

  get pending(): number {
    return this.timers.size;
  }

  /** Runs the earliest timer, `lateBy` ms after it was due (a busy event loop). */
  fireNext(lateBy = 0): void {
    const [id, timer] = this.earliest() ?? [];
    if (id === undefined || !timer) throw new Error('no timer pending');
    this.timers.delete(id);
    this.time = Math.max(this.time, timer.at + lateBy);
    timer.fn();
  }

  /** Moves the clock forward by `ms`, running every timer due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let next = this.earliest(); next && next[1].at <= end; next = this.earliest()) {
      this.fireNext();
    }
    this.time = end;
  }

  private earliest(): [number, Timer] | undefined {
    let best: [number, Timer] | undefined;
    for (const entry of this.timers) {
      const [, t] = entry;
      if (!best || t.at < best[1].at || (t.at === best[1].at && t.order < best[1].order)) {
        best = entry;
      }
    }
    return best;
  }
}
