import { describe, expect, it } from 'vitest';
import { ManualTimers } from './manual-timers.js';
import { createScheduler, MAX_CATCH_UP } from './scheduler.js';

describe('scheduler.every', () => {
  it('keeps a fixed schedule when wake-ups are late (no drift)', () => {
    const timers = new ManualTimers();
    const dues: number[] = [];
    createScheduler(timers).every(10, (due) => {
      dues.push(due);
    });
    timers.fireNext(3); // woke at 13
    timers.fireNext(0); // next wait was 7, so it runs at 20
    timers.fireNext(1); // 31
    expect(dues).toEqual([10, 20, 30]);
    expect(timers.delays).toEqual([10, 7, 10, 9]);
  });

  it('catches up missed periods after a short stall', () => {
    const timers = new ManualTimers();
    const dues: number[] = [];
    createScheduler(timers).every(10, (due) => {
      dues.push(due);
    });
    timers.fireNext(25); // woke at 35: runs 10, 20, 30
    expect(dues).toEqual([10, 20, 30]);
    expect(timers.delays.at(-1)).toBe(5);
  });

  it('skips ahead after a long stall instead of bursting', () => {
    const timers = new ManualTimers();
    let runs = 0;
    createScheduler(timers).every(10, () => {
      runs++;
    });
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

describe('scheduler.every, shared by callbacks of one period', () => {
  it('runs them on one timer, in the order they were added, with the same due time', () => {
    const timers = new ManualTimers();
    const scheduler = createScheduler(timers);
    const seen: string[] = [];
    scheduler.every(10, (due) => void seen.push(`a${due}`));
    scheduler.every(10, (due) => void seen.push(`b${due}`));
    scheduler.every(25, (due) => void seen.push(`slow${due}`));
    expect(timers.pending).toBe(2); // one per period, not one per callback
    timers.advance(30);
    expect(seen).toEqual(['a10', 'b10', 'a20', 'b20', 'slow25', 'a30', 'b30']);
  });

  it('runs what the callbacks return after all of them ran: every room steps, then all send', () => {
    const timers = new ManualTimers();
    const scheduler = createScheduler(timers);
    const seen: string[] = [];
    for (const room of ['a', 'b']) {
      scheduler.every(10, (due) => {
        seen.push(`${room} steps ${due}`);
        return () => seen.push(`${room} sends ${due}`);
      });
    }
    scheduler.every(10, () => void seen.push('c steps, nothing to send'));
    timers.advance(10);
    expect(seen).toEqual([
      'a steps 10',
      'b steps 10',
      'c steps, nothing to send',
      'a sends 10',
      'b sends 10',
    ]);
  });

  it('one added to a running loop first runs on its next period', () => {
    const timers = new ManualTimers();
    const scheduler = createScheduler(timers);
    const seen: string[] = [];
    scheduler.every(10, (due) => void seen.push(`a${due}`));
    timers.advance(13);
    scheduler.every(10, (due) => void seen.push(`b${due}`));
    timers.advance(7);
    expect(seen).toEqual(['a10', 'a20', 'b20']);
  });

  it('cancelling one leaves the others; cancelling the last stops the timer', () => {
    const timers = new ManualTimers();
    const scheduler = createScheduler(timers);
    let a = 0;
    let b = 0;
    const cancelA = scheduler.every(10, () => void a++);
    const cancelB = scheduler.every(10, () => {
      b++;
      if (b === 2) cancelA(); // from inside the loop, before or after a's turn
    });
    timers.advance(40);
    expect([a, b]).toEqual([2, 4]);
    cancelB();
    cancelB(); // twice is harmless
    expect(timers.pending).toBe(0);
    // A new callback of that period starts a loop of its own again.
    scheduler.every(10, () => void a++);
    timers.advance(10);
    expect(a).toBe(3);
  });

  it('a callback that throws does not stop the others; its error is thrown on a timer of its own', () => {
    const timers = new ManualTimers();
    const scheduler = createScheduler(timers);
    let after = 0;
    const boom = new Error('room failed');
    const cancel = scheduler.every(10, () => {
      throw boom;
    });
    scheduler.every(10, () => void after++);
    // The loop's next wake and the rethrow are both pending; the rethrow is due first.
    timers.fireNext();
    expect(after).toBe(1);
    expect(() => timers.fireNext()).toThrow(boom);
    cancel();
    timers.advance(10);
    expect(after).toBe(2);
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
