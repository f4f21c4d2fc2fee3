// Two server processes' worth of platform (two nodes, each with its own room worker and UDP
// port) on one real Redis (a per-run key prefix) and one set of real emulators. Real bots queue
// on one node; the registry, the request/reply bus and placement put their match on the other,
// whose room worker answers the offers and runs the match; the admin API of the first node
// sees it, and a kick or an end sent there ends it on the other.
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.js';
import { RoomHost } from '../../server/src/match/index.js';
import type { Platform } from '../../server/src/platform.js';
import { account, type Account } from '../support/accounts.js';
import { bot } from '../support/bots.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { freePort } from '../support/ports.js';
import {
  clearPrefix,
  requireSharedRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';
import { freeUdpPort } from '../support/rooms.js';
import { waitFor } from '../support/wait.js';

const hasRedis = await requireSharedRedis();
const prefix = uniquePrefix();
const logger = createLogger('silent');

interface Node {
  platform: Platform;
  host: RoomHost;
  server: Server;
  url: string;
  udpPort: number;
  nodeId: string;
}

let stack: LocalStack;
let nodes: [Node, Node];
let admin: Account;

async function startNode(index: number): Promise<Node> {
  const udpPort = await freeUdpPort();
  const host = await RoomHost.start({
    udpPort,
    bindAddress: '127.0.0.1',
    heartbeatTimeoutMs: 3000,
    logger,
  });
  const { platform } = stack.platform(
    {
      REDIS_URL: SHARED_REDIS_URL,
      CACHE_KEY_PREFIX: prefix,
      // As the cluster primary numbers its processes (each keeps its own results queue), and
      // process i listens on RTC_UDP_PORT + i.
      NODE_INDEX: String(index),
      RTC_UDP_PORT: String(udpPort - index),
    },
    undefined,
    host,
  );
  await platform.cluster?.ready;
  const port = await freePort();
  const server = platform.app.listen(port, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const nodeId = platform.cluster?.nodeId;
  if (!nodeId) throw new Error('a node that hosts matches is a cluster member');
  return { platform, host, server, url: `http://127.0.0.1:${port}`, udpPort, nodeId };
}

beforeAll(async () => {
  if (!hasRedis) return;
  stack = await startLocalStack();
  nodes = [await startNode(0), await startNode(1)];
  admin = await account(nodes[0].url, { admin: stack.backends, prefix: 'adm' });
});
afterAll(async () => {
  if (!hasRedis) return;
  for (const n of nodes ?? []) {
    n.server.close();
    await n.platform.realtime?.stop();
    await n.host.close();
  }
  await stack?.close();
  await clearPrefix(SHARED_REDIS_URL, prefix);
});

interface MatchView {
  matchId: string;
  nodeId: string;
  players: { username: string }[];
}

async function drain(n: Node, on: boolean): Promise<void> {
  await n.platform.cluster?.registry.setDraining(on);
}

/** Two bots queued on `via`: they pair there and play wherever placement put the match. */
async function pairOn(via: Node) {
  const names = [uniqueName('ca'), uniqueName('cb')] as const;
  const bots = names.map((n) => bot(via.url, n, 300));
  await Promise.all(bots.map((b) => b.started));
  const res = await request(via.url).get('/api/admin/matches').set(admin.auth).expect(200);
  const match = (res.body.matches as MatchView[]).find((m) =>
    m.players.some((p) => p.username === names[0]),
  );
  if (!match) throw new Error('the live match is not listed');
  return { names, bots, match };
}

describe.skipIf(!hasRedis)('two nodes on one Redis', () => {
  it('status lists both live processes, each with its own UDP port, from either node', async () => {
    for (const via of nodes) {
      const res = await request(via.url).get('/api/admin/status').set(admin.auth).expect(200);
      const listed = (res.body.nodes as { nodeId: string }[]).map((n) => n.nodeId);
      expect(listed.sort()).toEqual(nodes.map((n) => n.nodeId).sort());
      for (const n of nodes) {
        expect(res.body.nodes).toContainEqual(
          expect.objectContaining({
            nodeId: n.nodeId,
            udpPort: n.udpPort,
            matches: 0,
            players: 0,
            tickLagP99Ms: expect.any(Number),
            draining: false,
            host: expect.any(String),
          }),
        );
      }
    }
  });

  it('a pair made on a draining node plays on the other; a kick sent to the first ends it', async () => {
    const [a, b] = nodes;
    await drain(a, true);
    try {
      const { names, bots, match } = await pairOn(a);
      expect(match.nodeId).toBe(b.nodeId);
      expect(b.host.liveMatches().map((m) => m.matchId)).toContain(match.matchId);
      expect(a.host.liveMatches()).toEqual([]);
      // The status of node A shows the match on B, once B's heartbeat carries it.
      await waitFor(
        async () => {
          const res = await request(a.url).get('/api/admin/status').set(admin.auth).expect(200);
          const entries = res.body.nodes as {
            nodeId: string;
            matches: number;
            draining: boolean;
          }[];
          return (
            entries.some((n) => n.nodeId === b.nodeId && n.matches === 1) &&
            entries.some((n) => n.nodeId === a.nodeId && n.draining)
          );
        },
        { what: 'the match counted on node B and A shown draining' },
      );
      const player = await request(a.url)
        .get(`/api/admin/players/${names[0]}`)
        .set(admin.auth)
        .expect(200);
      expect(player.body.liveMatch).toBe(match.matchId);
      const kick = await request(a.url)
        .post(`/api/admin/players/${names[0]}/kick`)
        .set(admin.auth)
        .expect(200);
      expect(kick.body).toMatchObject({ wasOnline: true, matchEnded: match.matchId });
      const results = await Promise.all(bots.map((x) => x.result));
      expect(results.map((r) => r.result)).toEqual(['ended', 'ended']);
    } finally {
      await drain(a, false);
    }
  });

  it('the other way round: queued on B while B drains, hosted on A, ended through B', async () => {
    const [a, b] = nodes;
    await drain(b, true);
    try {
      const { bots, match } = await pairOn(b);
      expect(match.nodeId).toBe(a.nodeId);
      await request(b.url)
        .post(`/api/admin/matches/${match.matchId}/end`)
        .set(admin.auth)
        .expect(204);
      const results = await Promise.all(bots.map((x) => x.result));
      expect(results.map((r) => r.result)).toEqual(['ended', 'ended']);
      // Ended everywhere: no node knows it any more.
      await request(b.url)
        .post(`/api/admin/matches/${match.matchId}/end`)
        .set(admin.auth)
        .expect(404);
    } finally {
      await drain(b, false);
    }
  });

  it('with every node draining, a new pair fails as match_unavailable (no node takes it)', async () => {
    await Promise.all(nodes.map((n) => drain(n, true)));
    try {
      const names = [uniqueName('da'), uniqueName('db')];
      const bots = names.map((n) => bot(nodes[0].url, n, 5));
      for (const b of bots) b.started.catch(() => undefined); // they are not meant to start
      const results = await Promise.all(bots.map((b) => b.result));
      for (const r of results) {
        expect(r.result).toBe('failed');
        expect(r.error).toContain('match_unavailable');
      }
    } finally {
      await Promise.all(nodes.map((n) => drain(n, false)));
    }
  });

  it('a node that left the registry (its heartbeat gone) gets no match', async () => {
    const [a, b] = nodes;
    await b.platform.cluster?.registry.leave();
    const { bots, match } = await pairOn(a);
    expect(match.nodeId).toBe(a.nodeId);
    await request(a.url)
      .post(`/api/admin/matches/${match.matchId}/end`)
      .set(admin.auth)
      .expect(204);
    await Promise.all(bots.map((x) => x.result));
  });
});
