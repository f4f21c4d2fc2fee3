// Requests per authenticated user (the token's `sub`), counted after the signature check and
// before the session's DynamoDB write, so a flood costs neither the table nor other players.
// The counter is express-rate-limit's Store interface: its MemoryStore on one node, and any
// shared Store (rate-limit-redis) where nodes must share the count.
import { MemoryStore, type Options, type Store } from 'express-rate-limit';
import { AppError } from '../errors.js';

export const WINDOW_MS = 60_000;

/** The part of an express-rate-limit Store that counting needs. */
export type HitStore = Pick<Store, 'increment'>;

export interface RequestLimit {
  /** Counts one request of `userId`; throws AppError rate_limited (with Retry-After) past the limit. */
  take(userId: string): Promise<void>;
}

/** A fixed window of `perMinute` requests per user, counted in `store`. */
export function userRequestLimit(o: {
  perMinute: number;
  store: HitStore;
  now?: () => number;
}): RequestLimit {
  const now = o.now ?? Date.now;
  return {
    async take(userId) {
      const { totalHits, resetTime } = await o.store.increment(`authed-user:${userId}`);
      if (totalHits <= o.perMinute) return;
      const resetMs = resetTime ? resetTime.getTime() - now() : WINDOW_MS;
      throw new AppError('rate_limited', undefined, {
        retryAfterSec: Math.max(1, Math.ceil(resetMs / 1000)),
      });
    },
  };
}

/** A per-process store with the limiter's window. */
export function memoryHitStore(): HitStore {
  const store = new MemoryStore();
  // MemoryStore reads only windowMs from the options.
  store.init({ windowMs: WINDOW_MS } as Options);
  return store;
}
