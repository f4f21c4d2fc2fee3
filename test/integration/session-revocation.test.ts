// The session cache never outlives a revocation. Two server processes (two nodes) share one
// user pool, one table and one Redis prefix; a token whose check node A serves from its cache
// is refused by A at once when node B logs it out, kicks it, rotates it by a refresh or lets a
// new login take the idle session over. And with Redis pub/sub gone, a node stops serving from
// its cache rather than serve a stale session.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../server/src/platform.js';
import { account, PASSWORD } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { freePort } from '../support/ports.js';
import {
  clearPrefix,
  requireRedisServer,
  requireSharedRedis,
  SHARED_REDIS_URL,
  startRedisServer,
  uniquePrefix,
} from '../support/redis.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

const sharedRedis = await requireSharedRedis();
const prefix = uniquePrefix();

interface Node {
  process: ServerProcess;
  metricsUrl: string;
}

let stack: LocalStack;
let a: Node;
let b: Node;

async function startNode(): Promise<Node> {
  const metricsPort = await freePort();
  const process = await startServer(
    {
      ...stack.baseEnv,
      LOG_LEVEL: 'warn',
      REDIS_URL: SHARED_REDIS_URL,
      CACHE_KEY_PREFIX: prefix,
      METRICS_PORT: String(metricsPort),
    },
    { entry: 'test/support/attached-node.ts' },
  );
  return { process, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/** How many session checks the node served from its cache, from its /metrics. */
async function cachedChecks(node: Node): Promise<number> {
  const text = await (await fetch(node.metricsUrl)).text();
  const m = /^duel_session_checks_total\{served="cache"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

const me = (node: Node, token: string) =>
  request(node.process.url).get('/api/me').set('authorization', `Bearer ${token}`);

interface Login {
  name: string;
  accessToken: string;
  refreshToken: string;
}

async function login(node: Node, o: { admin?: boolean } = {}): Promise<Login> {
  const name = uniqueName('rv');
  await request(node.process.url)
    .post('/api/auth/signup')
    .send({ username: name, password: PASSWORD })
    .expect(201);
  if (o.admin) await stack.backends.idp.addToGroup(name, 'admin');
  const res = await request(node.process.url)
    .post('/api/auth/login')
    .send({ username: name, password: PASSWORD })
    .expect(200);
  return {
    name,
    accessToken: String(res.body.accessToken),
    refreshToken: String(res.body.refreshToken),
  };
}

/** Two calls on the node: the first renews the lease, the second is served by its cache. */
async function cachedOn(node: Node, token: string): Promise<void> {
  await me(node, token).expect(200);
  const before = await cachedChecks(node);
  await me(node, token).expect(200);
  expect(await cachedChecks(node)).toBe(before + 1);
}

function expectRefused(res: request.Response): void {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('unauthorized');
}

describe.skipIf(!sharedRedis)('revocation across two processes with session caches', () => {
  beforeAll(async () => {
    stack = await startLocalStack();
    [a, b] = await Promise.all([startNode(), startNode()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.process.stop(), b?.process.stop()]);
    await stack?.close();
    await clearPrefix(SHARED_REDIS_URL, prefix);
  });

  it('a logout on B refuses the token on A at once', async () => {
    const p = await login(a);
    await cachedOn(a, p.accessToken);
    await request(b.process.url)
      .post('/api/auth/logout')
      .set('authorization', `Bearer ${p.accessToken}`)
      .expect(204);
    expectRefused(await me(a, p.accessToken));
  });

  it('an admin kick on B refuses the token on A at once', async () => {
    const admin = await login(b, { admin: true });
    const p = await login(a);
    await cachedOn(a, p.accessToken);
    await request(b.process.url)
      .post(`/api/admin/players/${p.name}/kick`)
      .set('authorization', `Bearer ${admin.accessToken}`)
      .expect(200);
    expectRefused(await me(a, p.accessToken));
  });

  it('a refresh on B refuses the old access token on A at once, and A takes the new one', async () => {
    const p = await login(a);
    await cachedOn(a, p.accessToken);
    const res = await request(b.process.url)
      .post('/api/auth/refresh')
      .send({ username: p.name, refreshToken: p.refreshToken })
      .expect(200);
    const fresh = String(res.body.accessToken);
    expect(fresh).not.toBe(p.accessToken);
    expectRefused(await me(a, p.accessToken));
    await cachedOn(a, fresh);
  });

  it('a takeover by a login on B refuses the old token on A at once, as replaced', async () => {
    const p = await login(a);
    await cachedOn(a, p.accessToken);
    // The session is idle (no queue, no match), so a login from elsewhere takes it over.
    const taken = await request(b.process.url)
      .post('/api/auth/login')
      .send({ username: p.name, password: PASSWORD })
      .expect(200);
    const res = await me(a, p.accessToken);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_replaced');
    await cachedOn(a, String(taken.body.accessToken));
  });

  it('a new login after the session ended is served, and the ended token stays refused', async () => {
    const p = await login(a);
    await cachedOn(a, p.accessToken);
    await request(b.process.url)
      .post('/api/auth/logout')
      .set('authorization', `Bearer ${p.accessToken}`)
      .expect(204);
    const again = await request(b.process.url)
      .post('/api/auth/login')
      .send({ username: p.name, password: PASSWORD })
      .expect(200);
    expectRefused(await me(a, p.accessToken));
    await cachedOn(a, String(again.body.accessToken));
  });
});

describe.skipIf(!requireRedisServer())('session caches when Redis pub/sub is gone', () => {
  let local: LocalStack;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let nodes: [Platform, Platform];
  beforeAll(async () => {
    local = await startLocalStack();
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, CACHE_KEY_PREFIX: uniquePrefix() };
    nodes = [local.platform(env).platform, local.platform(env).platform];
  }, 120_000);
  afterAll(async () => {
    await redis?.kill();
    await local?.close();
  });

  const served = async (p: Platform, how: 'cache' | 'renewed') =>
    (await p.metrics.sessionChecks.get()).values.find((v) => v.labels.served === how)?.value ?? 0;

  it('bypasses the cache (one DynamoDB write per call), so a logout elsewhere still refuses at once', async () => {
    const [nodeA, nodeB] = nodes;
    const p = await account(nodeA.app);
    // Cached while Redis answers.
    await waitFor(
      async () => {
        const before = await served(nodeA, 'cache');
        await request(nodeA.app).get('/api/me').set(p.auth).expect(200);
        return (await served(nodeA, 'cache')) > before;
      },
      { what: 'a call served from the cache' },
    );
    await redis.kill();
    // Once node A knows its invalidations may be missed, each call renews in DynamoDB.
    await waitFor(
      async () => {
        const before = await served(nodeA, 'renewed');
        await request(nodeA.app).get('/api/me').set(p.auth).expect(200);
        return (await served(nodeA, 'renewed')) > before;
      },
      { what: 'a call served by a lease renewal' },
    );
    await request(nodeB.app).post('/api/auth/logout').set(p.auth).expect(204);
    expectRefused(await request(nodeA.app).get('/api/me').set(p.auth));
  });
});
