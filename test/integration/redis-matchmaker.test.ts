// The Matchmaker contract against the Redis matchmaker: real Redis at 127.0.0.1:6379 with a
// key prefix of this run's own (removed after), several RedisMatchmaker instances as nodes.
import { afterAll, describe } from 'vitest';
import { createLogger } from '../../server/src/logger.js';
import { RedisMatchmaker } from '../../server/src/matchmaking/redis.js';
import { matchmakerContract } from '../support/matchmaker-contract.js';
import {
  clearPrefix,
  requireSharedRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';

const redisUp = await requireSharedRedis();
const logger = createLogger('silent');
const TTL_MS = 600;
const prefixes: string[] = [];

afterAll(async () => {
  for (const p of prefixes) await clearPrefix(SHARED_REDIS_URL, p);
});

describe.skipIf(!redisUp)('RedisMatchmaker', () => {
  matchmakerContract('RedisMatchmaker', {
    maxNodes: 8,
    ticketTtlMs: TTL_MS,
    world: ({ now, nodes = 1 }) => {
      // Each world its own prefix: one empty queue per test, shared by its nodes.
      const keyPrefix = uniquePrefix();
      prefixes.push(keyPrefix);
      const all = Array.from(
        { length: nodes },
        (_, i) =>
          new RedisMatchmaker({
            url: SHARED_REDIS_URL,
            keyPrefix,
            nodeId: `node-${i}`,
            logger,
            now,
            queuedTtlMs: TTL_MS,
          }),
      );
      const closed = new Set<RedisMatchmaker>();
      const kill = async (mm: RedisMatchmaker) => {
        closed.add(mm);
        await mm.close();
      };
      return Promise.resolve({
        nodes: all,
        kill: (mm) => kill(mm as RedisMatchmaker),
        close: async () => {
          await Promise.all(all.filter((mm) => !closed.has(mm)).map((mm) => kill(mm)));
        },
      });
    },
  });
});
