// Matchmaking across nodes: two platforms (two nodes) on the same emulators and one Redis key
// prefix, each with its own HTTP listener. A player's POST, event stream and DELETE land on
// different nodes. Both nodes start their matches on one real room worker (node-datachannel
// allows one per process; placement over processes is the NODES tests' part), which answers
// the saved real offer; no peer connects behind it, so the match ends on its own heartbeat.
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomHost } from '../../server/src/match/room-host.js';
import { ApiClient, type MatchEvent } from '../../shared/src/net/api-client.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import {
  clearPrefix,
  requireRedisServer,
  requireSharedRedis,
  SHARED_REDIS_URL,
  startRedisServer,
  uniquePrefix,
} from '../support/redis.js';
import { SAVED_OFFER, startRooms } from '../support/rooms.js';
import { waitFor, withDeadline } from '../support/wait.js';

const sharedRedis = await requireSharedRedis();
const redisServer = requireRedisServer();
const prefix = uniquePrefix();
const PASSWORD = 'node password';

let stack: LocalStack;
let rooms: RoomHost;
const servers: Server[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  rooms = await startRooms(1000);
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await stack.close();
  await rooms.close();
  if (sharedRedis) await clearPrefix(SHARED_REDIS_URL, prefix);
});

/** A node: a platform on the shared emulators and rooms, listening on a free port. */
async function node(env: Record<string, string>): Promise<ApiClient> {
  // Its own DATA_DIR: each node keeps its own local results queue (a LevelDB with a lock).
  const dataDir = await mkdtemp(join(stack.dataDir, 'node-'));
  const { platform } = stack.platform({ ...env, DATA_DIR: dataDir }, undefined, rooms);
  const server = createServer(platform.app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

async function player(api: ApiClient) {
  const name = uniqueName('xn');
  await api.signup(name, PASSWORD);
  const { accessToken } = await api.login(name, PASSWORD);
  return { name, token: accessToken };
}

/** The ticket's events, read on `api`, as they come. */
function stream(api: ApiClient, token: string, ticketId: string) {
  const events = api.matchEvents(token, ticketId)[Symbol.asyncIterator]();
  return {
    async next(): Promise<MatchEvent> {
      const r = await withDeadline(events.next(), 20_000, 'the next ticket event');
      if (r.done) throw new Error('stream ended');
      return r.value;
    },
    /** The first event that is not `waiting`. */
    async settled(): Promise<MatchEvent> {
      for (;;) {
        const e = await this.next();
        if (e.type !== 'waiting') return e;
      }
    },
  };
}

describe.skipIf(!sharedRedis)('two nodes sharing one Redis', () => {
  let a: ApiClient;
  let b: ApiClient;
  beforeAll(async () => {
    const env = { REDIS_URL: SHARED_REDIS_URL, CACHE_KEY_PREFIX: prefix };
    [a, b] = [await node(env), await node(env)];
  });

  it('a POST on one node and the event stream on the other; pairs made across nodes', async () => {
    const [p1, p2, p3, p4] = await Promise.all([player(a), player(a), player(b), player(b)]);
    const t1 = await a.requestMatch(p1.token, SAVED_OFFER);
    const s1 = stream(b, p1.token, t1.ticketId);
    expect(await s1.next()).toMatchObject({ type: 'waiting', ticketId: t1.ticketId });

    const t2 = await b.requestMatch(p2.token, SAVED_OFFER);
    const s2 = stream(a, p2.token, t2.ticketId);
    const m1 = await s1.settled();
    const m2 = await s2.settled();
    expect(m1).toMatchObject({ type: 'matched', opponent: p2.name });
    expect(m2).toMatchObject({ type: 'matched', opponent: p1.name });
    if (m1.type !== 'matched' || m2.type !== 'matched') throw new Error('not matched');
    expect(m1.matchId).toBe(m2.matchId);
    expect(m1.answer).toContain('a=fingerprint');

    // The 3rd player waits (their stream on the other node says so) and pairs with the 4th.
    const t3 = await b.requestMatch(p3.token, SAVED_OFFER);
    const s3 = stream(a, p3.token, t3.ticketId);
    expect(await s3.next()).toMatchObject({ type: 'waiting' });
    const t4 = await a.requestMatch(p4.token, SAVED_OFFER);
    expect(await s3.settled()).toMatchObject({ type: 'matched', opponent: p4.name });
    expect(await stream(b, p4.token, t4.ticketId).next()).toMatchObject({
      type: 'matched',
      opponent: p3.name,
    });
    // One live ticket per player, whichever node is asked.
    await expect(a.requestMatch(p3.token, SAVED_OFFER)).rejects.toMatchObject({
      status: 409,
      code: 'already_queued',
    });
  });

  it('cancel through the other node; another player gets 404 on both nodes', async () => {
    const [owner, mallory] = await Promise.all([player(a), player(b)]);
    const { ticketId } = await a.requestMatch(owner.token, SAVED_OFFER);
    const s = stream(a, owner.token, ticketId);
    expect(await s.next()).toMatchObject({ type: 'waiting' });
    for (const api of [a, b]) {
      await expect(
        stream(api, mallory.token, ticketId).next(),
        'another player reads the stream',
      ).rejects.toMatchObject({ status: 404, code: 'not_found' });
      await expect(api.cancelMatch(mallory.token, ticketId)).rejects.toMatchObject({
        status: 404,
      });
    }
    await b.cancelMatch(owner.token, ticketId);
    expect(await s.next()).toMatchObject({ type: 'cancelled', ticketId });
    await expect(a.cancelMatch(owner.token, ticketId)).rejects.toMatchObject({ status: 404 });
    // A settled ticket's last word stays readable, on either node.
    expect(await stream(b, owner.token, ticketId).next()).toMatchObject({
      type: 'cancelled',
      ticketId,
    });
    // Free to queue again at once.
    const again = await b.requestMatch(owner.token, SAVED_OFFER);
    await b.cancelMatch(owner.token, again.ticketId);
  });

  it('logging out on one node cancels the ticket queued on the other', async () => {
    const p = await player(a);
    const { ticketId } = await a.requestMatch(p.token, SAVED_OFFER);
    const s = stream(a, p.token, ticketId);
    expect(await s.next()).toMatchObject({ type: 'waiting' });
    await b.logout(p.token);
    expect(await s.next()).toMatchObject({ type: 'cancelled', ticketId });
  });
});

describe.skipIf(!redisServer)('the Redis of matchmaking goes away and comes back', () => {
  it('503 matchmaking_unavailable while it is down; resumes by itself; nothing paired twice', async () => {
    const redis = await startRedisServer();
    try {
      const env = { REDIS_URL: redis.url, CACHE_KEY_PREFIX: uniquePrefix() };
      const [one, two] = [await node(env), await node(env)];
      const [early, p1, p2] = await Promise.all([player(one), player(one), player(two)]);
      const before = await one.requestMatch(early.token, SAVED_OFFER);
      const waiting = stream(two, early.token, before.ticketId);
      expect(await waiting.next()).toMatchObject({ type: 'waiting' });

      await redis.kill();
      const refused = await one.requestMatch(p1.token, SAVED_OFFER).catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 503, code: 'matchmaking_unavailable' });
      await expect(two.cancelMatch(early.token, before.ticketId)).rejects.toMatchObject({
        status: 503,
        code: 'matchmaking_unavailable',
      });

      // Redis is back, empty (no persistence): the stream of the lost ticket is told, not
      // left waiting, and new players pair, each once.
      const back = await startRedisServer(redis.port);
      try {
        expect(await waiting.next()).toMatchObject({
          type: 'failed',
          code: 'match_unavailable',
        });
        const t1 = await waitFor(
          () => one.requestMatch(p1.token, SAVED_OFFER).catch(() => undefined),
          { what: 'matchmaking resumes' },
        );
        const t2 = await two.requestMatch(p2.token, SAVED_OFFER);
        const [e1, e2] = await Promise.all([
          stream(two, p1.token, t1.ticketId).settled(),
          stream(one, p2.token, t2.ticketId).settled(),
        ]);
        expect(e1).toMatchObject({ type: 'matched', opponent: p2.name });
        expect(e2).toMatchObject({ type: 'matched', opponent: p1.name });
        await expect(one.requestMatch(early.token, SAVED_OFFER)).resolves.toMatchObject({
          status: 'waiting',
        });
      } finally {
        await back.kill();
      }
    } finally {
      await redis.kill();
    }
  });
});
