// Time for rooms: a clock and timers behind one small interface, so room tests drive time
// by hand and the real loop stays drift-free.

export type Cancel = () => void;

export interface Scheduler {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `fn` once after `ms`. */
  after(ms: number, fn: () => void): Cancel;
  /**
   * Calls `fn(dueAt)` every `periodMs`, on a fixed schedule that does not drift. A function
   * `fn` returns runs once every callback of that period has run: the rooms of a loop all step
   * first, then all send, so the last room's step does not wait for the others' sends.
   */
  every(periodMs: number, fn: PeriodicCall): Cancel;
}

/** A periodic callback; what it returns, if anything, runs after every callback of the period. */
export type PeriodicCall = (dueAt: number) => (() => void) | void;

export interface TimerApi {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  /**
   * Optional: calls `fn` at start + n × `periodMs`, never early, a late call not repeated for
   * the periods it missed. Given, a loop arms it once instead of a timeout per period.
   */
  setInterval?(fn: () => void, periodMs: number): unknown;
  /** Clears a timeout or an interval. */
  clearTimeout(handle: unknown): void;
}

const realTimers: TimerApi = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** After a stall, run at most this many missed periods back to back, then skip ahead. */
export const MAX_CATCH_UP = 4;

/**
 * A scheduler on `timers`. Periodic calls of the same period share one fixed-rate loop: the
 * rooms of a worker all step on one wake-up per tick, not one each. Twenty independent 60 Hz
 * loops cost about 3.4× the CPU of one loop running the same twenty callbacks (measured on
 * this machine: 58 against 17 ms/s), all of it timer and event-loop overhead. A callback
 * added to a running loop first runs on the loop's next period (so up to one period after
 * it was added, never later); one that throws does not stop the others, and its error is
 * thrown again from a timer of its own, as an uncaught exception, as before.
 */
export function createScheduler(
  timers: TimerApi = realTimers,
  /** Timers of the periodic loops (`every`), when they need finer ones than libuv's. */
  loopTimers: TimerApi = timers,
): Scheduler {
  const loops = new Map<number, SharedLoop>();
  return {
    now: () => timers.now(),
    after(ms, fn) {
      const handle = timers.setTimeout(fn, ms);
      return () => timers.clearTimeout(handle);
    },
    every(periodMs, fn) {
      if (!(periodMs > 0)) throw new RangeError(`period must be positive, got ${periodMs}`);
      let loop = loops.get(periodMs);
      if (!loop) {
        const created = new SharedLoop(loopTimers, periodMs, () => loops.delete(periodMs));
        loops.set(periodMs, created);
        loop = created;
      }
      return loop.add(fn);
    },
  };
}

/** One fixed-rate loop and the callbacks that run on it, in the order they were added. */
class SharedLoop {
  private readonly calls = new Set<{ readonly fn: PeriodicCall }>();
  private readonly stop: Cancel;

  constructor(
    private readonly timers: TimerApi,
    periodMs: number,
    private readonly onEmpty: () => void,
  ) {
    this.stop = fixedRate(timers, periodMs, (due) => this.run(due));
  }

  add(fn: PeriodicCall): Cancel {
    // A wrapper per call: the same function may be added twice and cancelled once.
    const call = { fn };
    this.calls.add(call);
    return () => {
      if (!this.calls.delete(call) || this.calls.size > 0) return;
      this.stop();
      this.onEmpty();
    };
  }

  private run(due: number): void {
    let failed: { error: unknown } | undefined;
    const then: (() => void)[] = [];
    // A copy: a callback may cancel others, or add one (which waits for the next period).
    for (const call of [...this.calls]) {
      if (!this.calls.has(call)) continue;
      try {
        const next = call.fn(due);
        if (next) then.push(next);
      } catch (error) {
        failed ??= { error };
      }
    }
    for (const next of then) {
      try {
        next();
      } catch (error) {
        failed ??= { error };
      }
    }
    if (failed) {
      const { error } = failed;
      this.timers.setTimeout(() => {
        throw error;
      }, 0);
    }
  }
}

// Each run is due at start + n × period. Waking late shortens the next wait instead of
// pushing every later run back, so 60 Hz stays 60 Hz on average.
function fixedRate(timers: TimerApi, periodMs: number, fn: (dueAt: number) => void): Cancel {
  if (!(periodMs > 0)) throw new RangeError(`period must be positive, got ${periodMs}`);
  let next = timers.now() + periodMs;
  let handle: unknown;
  let stopped = false;

  const runDue = () => {
    let runs = 0;
    while (!stopped && timers.now() >= next && runs < MAX_CATCH_UP) {
      const due = next;
      next += periodMs;
      runs++;
      fn(due);
    }
  };

  if (timers.setInterval) {
    // The interval keeps the phase (start + n × period): so does this loop when it skips ahead.
    handle = timers.setInterval(() => {
      runDue();
      const behind = timers.now() - next;
      if (!stopped && behind >= 0) next += (Math.floor(behind / periodMs) + 1) * periodMs;
    }, periodMs);
    return () => {
      stopped = true;
      timers.clearTimeout(handle);
    };
  }

  const wake = () => {
    runDue();
    if (stopped) return;
    const now = timers.now();
    if (now >= next) next = now + periodMs; // too far behind: drop the missed runs
    handle = timers.setTimeout(wake, next - now);
  };

  handle = timers.setTimeout(wake, periodMs);
  return () => {
    stopped = true;
    timers.clearTimeout(handle);
  };
}
