// The TicketStore contract against the Redis store: real Redis at 127.0.0.1:6379, a key prefix
// per world (removed after), several RedisTicketStore instances as nodes.
import { afterAll, describe } from 'vitest';
import { createLogger } from '../../server/src/logger.js';
import { RedisTicketStore } from '../../server/src/signalling/redis-ticket-store.js';
import type { TicketStore } from '../../server/src/signalling/ticket-store.js';
import {
  clearPrefix,
  requireSharedRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';
import { ticketStoreContract } from '../support/ticket-store-contract.js';

const redisUp = await requireSharedRedis();
const logger = createLogger('silent');
const prefixes: string[] = [];

afterAll(async () => {
  for (const p of prefixes) await clearPrefix(SHARED_REDIS_URL, p);
});

describe.skipIf(!redisUp)('RedisTicketStore', () => {
  ticketStoreContract('RedisTicketStore', {
    maxNodes: 4,
    world: (nodes) => {
      const keyPrefix = uniquePrefix();
      prefixes.push(keyPrefix);
      const stores = Array.from(
        { length: nodes },
        () =>
          new RedisTicketStore({
            url: SHARED_REDIS_URL,
            keyPrefix,
            logger,
            waitingTtlMs: 600,
            checkIntervalMs: 150,
          }),
      );
      const closed = new Set<TicketStore>();
      const kill = async (s: TicketStore) => {
        if (closed.has(s)) return;
        closed.add(s);
        await s.close();
      };
      return Promise.resolve({
        stores,
        kill,
        close: async () => {
          await Promise.all(stores.map(kill));
        },
      });
    },
  });
});
