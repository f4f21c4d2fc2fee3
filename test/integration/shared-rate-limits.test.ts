// With REDIS_URL, rate limits are shared by every node: a client cannot multiply its quota by
// spreading requests over nodes. Two platforms (two nodes) on one real Redis and one set of
// emulators; and a Redis that dies lets requests through instead of failing them.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../server/src/platform.js';
import { account, PASSWORD } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { clearPrefix, SHARED_REDIS_URL, startRedisServer, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix();
let stack: LocalStack;
let nodes: [Platform, Platform];

beforeAll(async () => {
  stack = await startLocalStack();
  const env = {
    REDIS_URL: SHARED_REDIS_URL,
    CACHE_KEY_PREFIX: prefix,
    RATE_LIMIT_AUTHED_PER_MINUTE: '4',
    RATE_LIMIT_USER_IP_PER_MINUTE: '3',
  };
  nodes = [stack.platform(env).platform, stack.platform(env).platform];
});
afterAll(async () => {
  await stack.close();
  await clearPrefix(SHARED_REDIS_URL, prefix);
});

describe('rate limits across nodes sharing a Redis', () => {
  it('per-user requests alternating between two nodes meet one limit', async () => {
    const p = await account(nodes[0].app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await request((i % 2 ? nodes[1] : nodes[0]).app)
            .get('/api/me')
            .set(p.auth)
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('failed logins on one node count on the other', async () => {
    const name = uniqueName('sh');
    await request(nodes[0].app)
      .post('/api/auth/signup')
      .send({ username: name, password: PASSWORD })
      .expect(201);
    const attempt = (node: Platform, password: string) =>
      request(node.app).post('/api/auth/login').send({ username: name, password });
    for (let i = 0; i < 3; i++) expect((await attempt(nodes[0], 'wrong guess')).status).toBe(401);
    const res = await attempt(nodes[1], PASSWORD);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('rate_limited');
  });
});

describe('a Redis that is gone', () => {
  it('lets requests through (fail open), never a 500', async () => {
    const redis = await startRedisServer();
    const { platform } = stack.platform({
      REDIS_URL: redis.url,
      CACHE_KEY_PREFIX: uniquePrefix(),
      RATE_LIMIT_AUTHED_PER_MINUTE: '100',
    });
    const p = await account(platform.app);
    await request(platform.app).get('/api/me').set(p.auth).expect(200);
    await redis.kill();
    for (let i = 0; i < 3; i++) await request(platform.app).get('/api/me').set(p.auth).expect(200);
    const login = await request(platform.app)
      .post('/api/auth/login')
      .send({ username: uniqueName(), password: PASSWORD });
    expect(login.status).toBe(401);
  });
});
