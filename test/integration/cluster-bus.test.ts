// The bus and the node registry on the real Redis (a per-run key prefix): request/reply with
// correlation ids and timeouts, errors that cross as themselves, heartbeat keys with a short
// TTL, and a lost process claimed by exactly one survivor, which releases its players.
import { afterAll, describe, expect, it } from 'vitest';
import { BusError, RedisBus } from '../../server/src/cluster/bus.js';
import { NODE_TTL_MS, RedisRegistry, type NodeLoad } from '../../server/src/cluster/registry.js';
import { AppError } from '../../server/src/errors.js';
import { createLogger } from '../../server/src/logger.js';
import { RoomError, type MatchPlayer } from '../../server/src/match/worker-protocol.js';
import {
  clearPrefix,
  redisClient,
  requireSharedRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const hasRedis = await requireSharedRedis();
const prefix = uniquePrefix();
const logger = createLogger('silent');
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  if (hasRedis) await clearPrefix(SHARED_REDIS_URL, prefix);
});

async function bus(nodeId: string): Promise<RedisBus> {
  const b = new RedisBus({ url: SHARED_REDIS_URL, prefix, nodeId, logger });
  closers.push(() => b.close());
  await b.ready;
  return b;
}

function registry(
  nodeId: string,
  load: Partial<NodeLoad> = {},
  onNodeLost?: (id: string, players: readonly MatchPlayer[]) => Promise<void>,
): RedisRegistry {
  const r = new RedisRegistry({
    url: SHARED_REDIS_URL,
    prefix,
    nodeId,
    udpPort: 10_000,
    index: null,
    logger,
    // Lapsed processes are released as soon as their key is gone, for this test's sake.
    reapAfterMs: 0,
    load: () => Promise.resolve({ matches: 0, players: 0, tickLagP99Ms: 0, hosted: [], ...load }),
    ...(onNodeLost ? { onNodeLost } : {}),
  });
  closers.push(() => r.close());
  return r;
}

describe.skipIf(!hasRedis)('RedisBus', () => {
  it('a request reaches the addressed process and its reply comes back', async () => {
    const [a, b] = [await bus('bus-a'), await bus('bus-b')];
    b.handle('sum', (p) => Promise.resolve((p as number[]).reduce((x, y) => x + y, 0)));
    a.handle('sum', () => Promise.resolve('wrong process'));
    const answers = await Promise.all(
      [1, 2, 3].map((n) => a.request('bus-b', 'sum', [n, n], 2000)),
    );
    expect(answers).toEqual([2, 4, 6]);
  });

  it('RoomError and AppError cross as themselves', async () => {
    const [a, b] = [await bus('err-a'), await bus('err-b')];
    b.handle('room', () => Promise.reject(new RoomError('bad_offer', 'refused', [1])));
    b.handle('app', () => Promise.reject(new AppError('not_found', 'No such match.')));
    const room: unknown = await a.request('err-b', 'room', null, 2000).catch((e: unknown) => e);
    expect(room).toBeInstanceOf(RoomError);
    expect(room).toMatchObject({ code: 'bad_offer', badSlots: [1] });
    const app: unknown = await a.request('err-b', 'app', null, 2000).catch((e: unknown) => e);
    expect(app).toBeInstanceOf(AppError);
    expect(app).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('a process nobody listens for fails at once; a slow one times out', async () => {
    const [a, b] = [await bus('slow-a'), await bus('slow-b')];
    await expect(a.request('nobody-here', 'x', null, 2000)).rejects.toMatchObject({
      code: 'unreachable',
    });
    let release!: () => void;
    b.handle('slow', () => new Promise<void>((r) => (release = r)));
    const err: unknown = await a.request('slow-b', 'slow', null, 200).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusError);
    expect(err).toMatchObject({ code: 'timeout' });
    release(); // its late reply finds no request waiting, and is dropped
  });
});

describe.skipIf(!hasRedis)('RedisRegistry', () => {
  it('heartbeats a key with a TTL of at most 3 s carrying its entry; leave removes it', async () => {
    const r = registry('reg-a', { matches: 2, players: 4, tickLagP99Ms: 1.5 });
    await r.start();
    const redis = redisClient(SHARED_REDIS_URL);
    try {
      const ttl = await redis.pttl(`${prefix}node:reg-a`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3000);
      expect(NODE_TTL_MS).toBeLessThanOrEqual(3000);
      expect(await r.live()).toContainEqual(
        expect.objectContaining({ nodeId: 'reg-a', matches: 2, players: 4, tickLagP99Ms: 1.5 }),
      );
      await r.setDraining(true);
      expect((await r.live()).find((n) => n.nodeId === 'reg-a')?.draining).toBe(true);
      await r.leave();
      expect(await redis.exists(`${prefix}node:reg-a`)).toBe(0);
      expect((await r.live()).map((n) => n.nodeId)).not.toContain('reg-a');
    } finally {
      redis.disconnect();
    }
  });

  it('a process whose heartbeat lapsed drops out, and one survivor releases its players', async () => {
    const hosted: MatchPlayer[] = [
      { userId: 'u1', username: 'alice', slot: 0 },
      { userId: 'u2', username: 'bob', slot: 1 },
    ];
    const released: { by: string; id: string; players: readonly MatchPlayer[] }[] = [];
    const lost = (by: string) => async (id: string, players: readonly MatchPlayer[]) => {
      released.push({ by, id, players });
    };
    const doomed = registry('lap-dead', { matches: 1, players: 2, hosted });
    const survivors = [registry('lap-s1', {}, lost('s1')), registry('lap-s2', {}, lost('s2'))];
    await doomed.start();
    await Promise.all(survivors.map((s) => s.start()));
    expect((await survivors[0]?.live())?.map((n) => n.nodeId)).toContain('lap-dead');
    // It stops beating without leaving, as a killed process does.
    const redis = redisClient(SHARED_REDIS_URL);
    try {
      const doomedInternals = doomed as unknown as { stopped: boolean; timer?: NodeJS.Timeout };
      doomedInternals.stopped = true;
      clearTimeout(doomedInternals.timer);
      await waitFor(async () => (await redis.exists(`${prefix}node:lap-dead`)) === 0, {
        what: 'the lapsed key expired',
      });
    } finally {
      redis.disconnect();
    }
    expect((await survivors[0]?.live())?.map((n) => n.nodeId)).not.toContain('lap-dead');
    await waitFor(() => released.length > 0, { what: 'the lost process claimed' });
    // Every survivor may try (each beat reaps, and the primary's word makes each forget it);
    // the claim (ZREM) lets exactly one release.
    await Promise.all(survivors.map((s) => s.forget('lap-dead')));
    expect(released.filter((x) => x.id === 'lap-dead')).toHaveLength(1);
    expect(released[0]?.players).toEqual(hosted);
  });
});
