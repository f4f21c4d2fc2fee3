import { describe, expect, it } from 'vitest';
import { HEIGHT, WIDTH } from './constants.js';
import { distanceSq, round, torusDelta, trunc, within, wrap } from './fixed.js';

describe('fixed-point helpers', () => {
  it('never produce −0', () => {
    for (const v of [-0.4, -0.5, -0, 0.2]) {
      expect(Object.is(round(v), -0)).toBe(false);
      expect(Object.is(trunc(v), -0)).toBe(false);
    }
  });
  it('truncate toward zero', () => {
    expect([trunc(2.9), trunc(-2.9), trunc(7)]).toEqual([2, -2, 7]);
  });
  it('wrap into [0, size)', () => {
    expect([wrap(-1, 10), wrap(10, 10), wrap(25, 10), wrap(-30, 10)]).toEqual([9, 0, 5, 0]);
  });
  it('measure the short way round the arena', () => {
    expect(torusDelta(10, WIDTH - 10, WIDTH)).toBe(-20);
    expect(torusDelta(WIDTH - 10, 10, WIDTH)).toBe(20);
    expect(distanceSq(0, 0, WIDTH - 3, HEIGHT - 4)).toBe(25);
    expect(within(0, 0, WIDTH - 3, HEIGHT - 4, 5)).toBe(true);
    expect(within(0, 0, WIDTH - 3, HEIGHT - 4, 4)).toBe(false);
  });
});
