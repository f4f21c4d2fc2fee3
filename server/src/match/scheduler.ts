// Time for rooms: a clock and timers behind one small interface, so room tests drive time
// by hand and the real loop stays drift-free.

export type Cancel = () => void;

export interface Scheduler {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `fn` once after `ms`. */
  after(ms: number, fn: () => void): Cancel;
  /** Calls `fn(dueAt)` every `periodMs`, on a fixed schedule that does not drift. */
  every(periodMs: number, fn: (dueAt: number) => void): Cancel;
}

export interface TimerApi {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: TimerApi = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** After a stall, run at most this many missed periods back to back, then skip ahead. */
export const MAX_CATCH_UP = 4;

export function createScheduler(timers: TimerApi = realTimers): Scheduler {
  return {
    now: () => timers.now(),
    after(ms, fn) {
      const handle = timers.setTimeout(fn, ms);
      return () => timers.clearTimeout(handle);
    },
    every: (periodMs, fn) => fixedRate(timers, periodMs, fn),
  };
}

// Each run is due at start + n × period. Waking late shortens the next wait instead of
// pushing every later run back, so 60 Hz stays 60 Hz on average.
function fixedRate(timers: TimerApi, periodMs: number, fn: (dueAt: number) => void): Cancel {
  if (!(periodMs > 0)) throw new RangeError(`period must be positive, got ${periodMs}`);
  let next = timers.now() + periodMs;
  let handle: unknown;
  let stopped = false;

  const wake = () => {
    let runs = 0;
    while (!stopped && timers.now() >= next && runs < MAX_CATCH_UP) {
      const due = next;
      next += periodMs;
      runs++;
      fn(due);
    }
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
