import { afterEach, describe, expect, it, vi } from 'vitest';
import { requirePart } from './prerequisites.js';

afterEach(() => vi.restoreAllMocks());

describe('requirePart', () => {
  it('a present part runs its tests, in CI or not', () => {
    expect(requirePart(true, 'Chromium', 'apt-get install chromium', true)).toBe(true);
    expect(requirePart(true, 'Chromium', 'apt-get install chromium', false)).toBe(true);
  });

  it('a missing part fails the run in CI, naming the part and how to get it', () => {
    expect(() =>
      requirePart(false, 'Redis at :6379', 'redis-server --daemonize yes', true),
    ).toThrow(/Redis at :6379 is not available \(redis-server --daemonize yes\); in CI/);
  });

  it('a missing part outside CI skips its tests, with a note', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requirePart(false, 'coturn', 'apt-get install coturn', false)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
