// Waiting without sleeping: poll a condition until it holds or a deadline passes, or bound a
// promise by a deadline. A deadline is a generous upper bound that turns a hang into a clear
// failure; it is never an assertion about how fast something is (speed lives in the bench).

export interface WaitOptions {
  /** Give up after this long (default 20 s: far above any normal wait, far below the test timeout). */
  deadlineMs?: number;
  /** Pause between polls (default 50 ms). */
  intervalMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it returns something other than `undefined`, `null` or `false`, and
 * returns that. A probe that throws is retried; after the deadline the last result or error
 * is in the failure message.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  o: WaitOptions = {},
): Promise<T> {
  const deadline = performance.now() + (o.deadlineMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (performance.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`waitFor: ${o.what ?? 'condition'} not met in time (last: ${seen})`);
    }
    await pause(o.intervalMs ?? 50);
  }
}

/** `promise`, or a rejection naming `what` if it has not settled within `deadlineMs`. */
export async function withDeadline<T>(promise: Promise<T>, deadlineMs: number, what: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overran = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    return await Promise.race([promise, overran]);
  } finally {
    clearTimeout(timer);
  }
}
