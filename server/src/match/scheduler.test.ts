import { describe, expect, it } from 'vitest';
import { ManualTimers } from './manual-timers.js';
import { createScheduler, MAX_CATCH_UP } from './scheduler.js';

describe('scheduler.every', () => {
  it('keeps a fixed schedule when wake-ups are late (no drift)', () => {
    const timers = new ManualTimers();
    const dues: number[] = [];
    createScheduler(timers).every(10, (due) => dues.push(due));
    timers.fireNext(3); // woke at 13
    timers.fireNext(0); // next wait was 7, so it runs at 20
    timers.fireNext(1); // 31
    expect(dues).toEqual([10, 20, 30]);
    expect(timers.delays).toEqual([10, 7, 10, 9]);
  });

  it('catches up missed periods after a short stall', () => {
    const timers = new ManualTimers();
    const dues: number[] = [];
    createScheduler(timers).every(10, (due) => dues.push(due));
    timers.fireNext(25); // woke at 35: runs 10, 20, 30
    expect(dues).toEqual([10, 20, 30]);
    expect(timers.delays.at(-1)).toBe(5);
  });

  it('skips ahead after a long stall instead of bursting', () => {
    const timers = new ManualTimers();
    let runs = 0;
    createScheduler(timers).every(10, () => runs++);
    timers.fireNext(1_000);
    expect(runs).toBe(MAX_CATCH_UP);
    expect(timers.delays.at(-1)).toBe(10);
  });

  it('stops when cancelled, also from inside the callback', () => {
    const timers = new ManualTimers();
    let runs = 0;
    const cancel = createScheduler(timers).every(10, () => {
      runs++;
      if (runs === 2) cancel();
    });
    timers.fireNext(15); // due 10 and 20; stops after the second
    expect(runs).toBe(2);
    expect(timers.pending).toBe(0);
  });

  it('refuses a period that is not positive', () => {
    expect(() => createScheduler(new ManualTimers()).every(0, () => {})).toThrow(RangeError);
  });

  it('after runs once and can be cancelled', () => {
    const timers = new ManualTimers();
    let runs = 0;
    const scheduler = createScheduler(timers);
    scheduler.after(5, () => runs++);
    const cancel = scheduler.after(6, () => runs++);
    cancel();
    timers.fireNext();
    expect(runs).toBe(1);
    expect(timers.pending).toBe(0);
  });
});

describe('ManualTimers', () => {
  it('advance runs due timers in time order and moves the clock', () => {
    const timers = new ManualTimers();
    const order: string[] = [];
    timers.setTimeout(() => order.push('b'), 20);
    timers.setTimeout(() => order.push('a'), 10);
    timers.setTimeout(() => order.push('c'), 30);
    timers.advance(25);
    expect(order).toEqual(['a', 'b']);
    expect(timers.now()).toBe(25);
  });
});
