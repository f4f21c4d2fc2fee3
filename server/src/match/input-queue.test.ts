import { describe, expect, it } from 'vitest';
import { InputQueue } from './input-queue.js';

describe('InputQueue', () => {
  it('hands out inputs in order, then holds the last buttons', () => {
    const q = new InputQueue(4);
    q.push({ seq: 1, buttons: 1 });
    q.push({ seq: 2, buttons: 2 });
    expect([q.take(), q.take(), q.take()]).toEqual([1, 2, 2]);
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
    expect(q.take()).toBe(1);
    expect(q.take()).toBe(4);
    // The shot was not held: with the queue empty, the last buttons are held without it.
    expect(q.take()).toBe(4);
  });
});
