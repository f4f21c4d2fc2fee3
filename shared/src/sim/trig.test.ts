import { describe, expect, it } from 'vitest';
import { cos, sin, TRIG_ONE } from './trig.js';

describe('integer trig table', () => {
  it('matches Math.sin to the nearest integer at every heading', () => {
    // Math.sin is fine here: the test only checks the committed literals once.
    for (let h = 0; h < 256; h++) {
      expect(Math.abs(sin(h) - Math.sin((h * Math.PI) / 128) * TRIG_ONE)).toBeLessThanOrEqual(0.5);
    }
  });
  it('has exact values at the quarter turns, and cos is sin a quarter ahead', () => {
    expect([sin(0), sin(64), sin(128), sin(192)]).toEqual([0, TRIG_ONE, 0, -TRIG_ONE]);
    expect([cos(0), cos(64), cos(128), cos(192)]).toEqual([TRIG_ONE, 0, -TRIG_ONE, 0]);
  });
  it('is odd and periodic, with no −0', () => {
    for (let h = 0; h < 256; h++) {
      expect(sin(-h)).toBe(-sin(h) + 0);
      expect(sin(h + 256)).toBe(sin(h));
      expect(Object.is(sin(h), -0)).toBe(false);
    }
  });
});
