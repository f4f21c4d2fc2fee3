import { describe, expect, it } from 'vitest';
import { InputQueue, MAX_PROVISIONAL } from './input-queue.js';

describe('InputQueue', () => {
  it('hands out inputs in order, then holds the last buttons', () => {
    const q = new InputQueue(4);
    q.push({ seq: 1, buttons: 1 });
    q.push({ seq: 2, buttons: 2 });
    expect([q.take(), q.take(), q.take()]).toEqual([1, 2, 2]);
  });

  it('plays the held buttons as the next input when none has come, and acknowledges it', () => {
    const q = new InputQueue(8);
    q.push({ seq: 1, buttons: 1 });
    expect(q.take()).toBe(1);
    expect(q.lastTakenSeq).toBe(1);
    // A client sends every other tick: seq 2 is not here yet, the tick plays it held.
    expect(q.take()).toBe(1);
    expect(q.lastTakenSeq).toBe(2);
    // It comes with seq 3: already played, so the next tick plays seq 3, not 2 again.
    q.push({ seq: 2, buttons: 1 });
    q.push({ seq: 3, buttons: 4 });
    expect(q.take()).toBe(4);
    expect(q.lastTakenSeq).toBe(3);
    expect(q.late).toBe(1);
  });

  it('runs ahead of a silent client by MAX_PROVISIONAL ticks at most', () => {
    const q = new InputQueue(8);
    q.push({ seq: 1, buttons: 2 });
    q.take();
    for (let i = 0; i < MAX_PROVISIONAL + 3; i++) expect(q.take()).toBe(2);
    expect(q.lastTakenSeq).toBe(1 + MAX_PROVISIONAL);
    // When the client is back its inputs are played from the first one not yet played.
    [2, 2, 1, 8].forEach((buttons, i) => q.push({ seq: i + 2, buttons }));
    expect(q.take()).toBe(1);
    expect(q.lastTakenSeq).toBe(4);
    expect(q.take()).toBe(8);
  });

  it('does not run ahead before the first input, nor lose a late shot the held buttons lacked', () => {
    const q = new InputQueue(8);
    expect(q.take()).toBe(0);
    expect(q.lastTakenSeq).toBe(0);
    q.push({ seq: 1, buttons: 0 });
    q.take();
    q.take(); // plays seq 2 held, without fire
    q.push({ seq: 2, buttons: 8 }); // the shot came late
    q.push({ seq: 3, buttons: 0 });
    expect(q.take()).toBe(8);
    expect(q.take()).toBe(0);
  });

  it('does not fire twice for a late shot the held buttons already fired', () => {
    const q = new InputQueue(8);
    q.push({ seq: 1, buttons: 8 });
    q.take();
    q.take(); // plays seq 2 with fire held
    q.push({ seq: 2, buttons: 8 });
    q.push({ seq: 3, buttons: 0 }); // released
    expect(q.take()).toBe(0);
  });
  it('starts with no buttons held', () => {
    expect(new InputQueue(1).take()).toBe(0);
  });
  it('drops inputs beyond its capacity and counts them', () => {
    const q = new InputQueue(2);
    expect([1, 2, 3, 4].map((seq) => q.push({ seq, buttons: seq }))).toEqual([
      'queued',
      'queued',
      'dropped',
      'dropped',
    ]);
    expect(q.dropped).toBe(2);
    expect(q.length).toBe(2);
  });
  it('refuses duplicates and reordered inputs', () => {
    const q = new InputQueue(8);
    q.push({ seq: 5, buttons: 0 });
    expect(q.push({ seq: 5, buttons: 0 })).toBe('stale');
    expect(q.push({ seq: 4, buttons: 0 })).toBe('stale');
    expect(q.push({ seq: 9, buttons: 0 })).toBe('queued');
    expect(q.stale).toBe(2);
  });
  it('accepts a newer input after a dropped one', () => {
    const q = new InputQueue(1);
    q.push({ seq: 1, buttons: 0 });
    q.push({ seq: 2, buttons: 0 }); // dropped: full
    q.take();
    expect(q.push({ seq: 2, buttons: 7 })).toBe('queued');
  });

  it('keeps the backlog short: skips the oldest inputs but not their shots', () => {
    const q = new InputQueue(8);
    [1, 8, 1, 1, 1, 4].forEach((buttons, i) => q.push({ seq: i + 1, buttons }));
    // Six queued, at most 2 may wait behind the one applied: seqs 1–3 are skipped.
    expect(q.take()).toBe(1 | 8);
    expect(q.lastTakenSeq).toBe(4);
    expect(q.skipped).toBe(3);
    // Seq 5 holds the buttons of seq 4 and seq 6 waits behind it: acknowledged, not played.
    expect(q.take()).toBe(4);
    expect(q.lastTakenSeq).toBe(6);
    // The shot was not held: with the queue empty, the last buttons are held without it.
    expect(q.take()).toBe(4);
  });

  it('acknowledges an unchanged input without a tick when a newer one waits behind it', () => {
    const q = new InputQueue(8);
    q.push({ seq: 1, buttons: 2 });
    q.take();
    // A frame of two: seq 2 repeats the held buttons, seq 3 changes them.
    q.push({ seq: 2, buttons: 2 });
    q.push({ seq: 3, buttons: 4 });
    expect(q.take()).toBe(4);
    expect(q.lastTakenSeq).toBe(3);
    expect(q.merged).toBe(1);
    // A change is never merged away: both are played, a tick each.
    q.push({ seq: 4, buttons: 1 });
    q.push({ seq: 5, buttons: 0 });
    expect([q.take(), q.take()]).toEqual([1, 0]);
    expect(q.merged).toBe(1);
  });
});
