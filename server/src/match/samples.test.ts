import { describe, expect, it } from 'vitest';
import { percentiles, SampleWindow } from './samples.js';

describe('percentiles', () => {
  it('is zero for no samples', () => {
    expect(percentiles([])).toEqual({ p50: 0, p99: 0, max: 0 });
  });
  it('uses nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 shuffled order
    expect(percentiles(values)).toEqual({ p50: 50, p99: 99, max: 100 });
    expect(percentiles([7])).toEqual({ p50: 7, p99: 7, max: 7 });
  });
});

describe('SampleWindow', () => {
  it('keeps only the most recent samples', () => {
    const w = new SampleWindow(3);
    for (const v of [1, 2, 3, 4, 5]) w.add(v);
    expect(w.values().sort()).toEqual([3, 4, 5]);
    expect(w.percentiles().max).toBe(5);
  });
});
