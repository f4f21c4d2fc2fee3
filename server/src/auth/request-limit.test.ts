// The per-user limit with stores behind express-rate-limit's Store interface: a counting fake
// with a fixed clock, and one that fails (fail open).
import type { Store } from 'express-rate-limit';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { userRequestLimit } from './request-limit.js';

const logger = createLogger('silent');

function countingStore(resetAt: number): Store {
  const hits = new Map<string, number>();
  return {
    increment: (key) => {
      hits.set(key, (hits.get(key) ?? 0) + 1);
      return Promise.resolve({ totalHits: hits.get(key) ?? 0, resetTime: new Date(resetAt) });
    },
    decrement: () => Promise.resolve(),
    resetKey: () => Promise.resolve(),
    get: () => Promise.resolve(undefined),
  };
}

describe('userRequestLimit', () => {
  it('lets perMinute requests through, then refuses with the seconds left as Retry-After', async () => {
    const t = 1_000_000;
    const limit = userRequestLimit({
      perMinute: 3,
      store: countingStore(t + 12_500),
      logger,
      now: () => t,
    });
    for (let i = 0; i < 3; i++) await limit.take('u1');
    const refused = await limit.take('u1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSec: 13 });
    await expect(limit.take('u2')).resolves.toBeUndefined();
  });

  it('fails open when the store fails (a Redis that is gone)', async () => {
    const broken: Store = {
      increment: () => Promise.reject(new Error('Command timed out')),
    } as unknown as Store;
    const limit = userRequestLimit({ perMinute: 1, store: broken, logger });
    for (let i = 0; i < 5; i++) await expect(limit.take('u1')).resolves.toBeUndefined();
  });
});
