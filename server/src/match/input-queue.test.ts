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
});
