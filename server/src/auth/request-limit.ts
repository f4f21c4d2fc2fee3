// Requests per authenticated user (the token's `sub`), counted after the signature check and
// before the session's DynamoDB write, so a flood costs neither the table nor other players.
// The counter is express-rate-limit's Store interface: its MemoryStore on one node, and
// rate-limit-redis where nodes share the count (see http/limit-store.ts).
import type { Options, Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

export const WINDOW_MS = 60_000;

export interface RequestLimit {
  /** Counts one request of `userId`; throws AppError rate_limited (with Retry-After) past the limit. */
  take(userId: string): Promise<void>;
}

/** A fixed window of `perMinute` requests per user, counted in `store`. */
export function userRequestLimit(o: {
  perMinute: number;
  store: Store;
  logger: Logger;
  now?: () => number;
}): RequestLimit {
  const now = o.now ?? Date.now;
  // Stores read only windowMs from the options.
  const ready = Promise.resolve(o.store.init?.({ windowMs: WINDOW_MS } as Options));
  return {
    async take(userId) {
      let hits: Awaited<ReturnType<Store['increment']>>;
      try {
        await ready;
        hits = await o.store.increment(`authed-user:${userId}`);
      } catch (err) {
        // Fail open: a counter that is out of reach must not lock every player out.
        o.logger.warn({ err }, 'per-user rate limit not counted');
        return;
      }
      if (hits.totalHits <= o.perMinute) return;
      const resetMs = hits.resetTime ? hits.resetTime.getTime() - now() : WINDOW_MS;
      throw new AppError('rate_limited', undefined, {
        retryAfterSec: Math.max(1, Math.ceil(resetMs / 1000)),
      });
    },
  };
}
