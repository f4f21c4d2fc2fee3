import { afterEach, describe, expect, it } from 'vitest';
import { startClockThread, type ClockThread } from './clock-thread.js';
import { createScheduler } from './scheduler.js';

// A real thread: each test waits for the wake-ups themselves, never for a span of time.
describe('clock thread', () => {
  let clock: ClockThread | undefined;
  afterEach(async () => {
    await clock?.close();
    clock = undefined;
  });

  it('wakes each timer once, in the order of their deadlines, never before its deadline', async () => {
    const c = (clock = startClockThread());
    const fired: { name: string; early: number }[] = [];
    const done = new Promise<void>((resolve) => {
      for (const [name, ms] of [
        ['c', 30],
        ['a', 5],
        ['b', 15],
      ] as const) {
        const due = c.now() + ms;
        c.setTimeout(() => {
          fired.push({ name, early: Math.max(0, due - c.now()) });
          if (fired.length === 3) resolve();
        }, ms);
      }
    });
    await done;
    expect(fired.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect(fired.every((f) => f.early === 0)).toBe(true);
  });

  it('never runs a cleared timer', async () => {
    const c = (clock = startClockThread());
    const fired: string[] = [];
    const cleared = c.setTimeout(() => fired.push('cleared'), 2);
    c.clearTimeout(cleared);
    // The thread fires in deadline order: once this later timer of the same clock has run, the
    // cleared one would have run before it. The wait is for that event, not for a span of time.
    await new Promise<void>((resolve) => c.setTimeout(resolve, 20));
    expect(fired).toEqual([]);
  });

  it('drives a scheduler loop: its runs come in order, on the loop’s fixed grid', async () => {
    const c = (clock = startClockThread());
    const scheduler = createScheduler(undefined, c);
    const dues: number[] = [];
    await new Promise<void>((resolve) => {
      const cancel = scheduler.every(1000 / 60, (due) => {
        dues.push(due);
        if (dues.length === 10) {
          cancel();
          resolve();
        }
      });
    });
    // Each run is due a whole number of periods after the one before: one period, or more
    // where a stall of this (possibly loaded) machine made the loop skip ahead, as it should.
    const periods = dues.slice(1).map((d, i) => (d - (dues[i] ?? 0)) / (1000 / 60));
    expect(periods.every((n) => n >= 1 - 1e-9 && Math.abs(n - Math.round(n)) < 1e-6)).toBe(true);
  });

  it('more timers than the thread has slots still run, on libuv', async () => {
    const c = (clock = startClockThread());
    let fired = 0;
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 20; i++)
        c.setTimeout(() => {
          if (++fired === 20) resolve();
        }, 1 + i);
    });
    expect(fired).toBe(20);
  });
});
