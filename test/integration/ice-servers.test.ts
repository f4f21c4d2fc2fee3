// GET /api/ice-servers on real emulators: TURN REST API credentials for the caller that a
// TURN server holding the same secret accepts, an empty list without TURN, 401 without a token.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { account } from '../support/accounts.js';
import { startLocalStack, type LocalStack } from '../support/local-stack.js';

const TURN = {
  TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:443',
  TURN_SECRET: 'integration-test-secret',
};

// The documented answer (docs/openapi.yaml; the schema has no $ref to resolve).
const documented = z.fromJSONSchema(
  (
    parseYaml(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8')) as {
      components: { schemas: { IceServers: Parameters<typeof z.fromJSONSchema>[0] } };
    }
  ).components.schemas.IceServers,
);

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.close());

describe('GET /api/ice-servers', () => {
  it('hands the caller credentials for its own name that expire a little after a match', async () => {
    const app = stack.platform({ ...TURN, MATCH_SECONDS: '120' }).platform.app;
    const player = await account(app);
    const before = Math.floor(Date.now() / 1000);
    const res = await request(app).get('/api/ice-servers').set(player.auth);
    const after = Math.ceil(Date.now() / 1000);
    expect(res.status).toBe(200);
    expect(res.get('cache-control')).toBe('no-store');
    expect(documented.safeParse(res.body).error).toBeUndefined();
    const { iceServers, ttlSeconds } = res.body as {
      iceServers: { urls: string[]; username: string; credential: string }[];
      ttlSeconds: number;
    };
    expect(ttlSeconds).toBeGreaterThan(120);
    expect(iceServers).toHaveLength(1);
    const [server] = iceServers;
    expect(server?.urls).toEqual([
      'turn:turn.example.org:3478?transport=udp',
      'turns:turn.example.org:443',
    ]);
    const [expiry, user] = (server?.username ?? '').split(':');
    expect(user).toBe(player.name);
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + ttlSeconds);
    expect(Number(expiry)).toBeLessThanOrEqual(after + ttlSeconds);
    // What coturn computes with use-auth-secret for this username.
    const expected = createHmac('sha1', TURN.TURN_SECRET)
      .update(server?.username ?? '')
      .digest('base64');
    expect(server?.credential).toBe(expected);
  });

  it('is an empty list without TURN settings', async () => {
    const app = stack.platform().platform.app;
    const player = await account(app);
    const res = await request(app).get('/api/ice-servers').set(player.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ iceServers: [], ttlSeconds: expect.any(Number) });
    expect(documented.safeParse(res.body).error).toBeUndefined();
  });

  it.each([
    ['no token', {}],
    ['a malformed token', { authorization: 'Bearer nope' }],
    ['a forged token', { authorization: 'Bearer a.b.c' }],
  ])('answers 401 unauthorized with %s, and never a credential', async (_what, headers) => {
    const app = stack.platform(TURN).platform.app;
    const res = await request(app).get('/api/ice-servers').set(headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });
});
