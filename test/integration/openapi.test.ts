// docs/openapi.yaml against the real app, so the document cannot drift: every route the app
// mounts is documented and every documented operation exists, the documented security is
// what the routes enforce, and real responses fit the documented schemas.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { routesOf } from '../../server/src/http/route-table.js';
import type { RoomHost } from '../../server/src/match/index.js';
import type { Platform } from '../../server/src/platform.js';
import { account, PASSWORD, type Account } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { SAVED_OFFER, startRooms } from '../support/rooms.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Operation {
  operationId: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}
type Method = 'get' | 'post' | 'delete';

const doc = parseYaml(
  readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'),
) as {
  openapi: string;
  paths: Record<string, Partial<Record<Method, Operation>>>;
};

/** The document with every local $ref replaced by what it points at. */
function deref(node: Json, root: Json = node): Json {
  if (Array.isArray(node)) return node.map((n) => deref(n, root));
  if (node === null || typeof node !== 'object') return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json>((at, key) => (at as Record<string, Json>)[key] ?? null, root);
    return deref(target, root);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v, root)]));
}
const resolved = deref(doc as unknown as Json) as unknown as typeof doc;

const operations = Object.entries(resolved.paths).flatMap(([path, item]) =>
  (Object.keys(item) as Method[]).map((method) => ({
    method,
    path,
    op: item[method] as Operation,
  })),
);

let stack: LocalStack;
let host: RoomHost;
let platform: Platform;
let app: Parameters<typeof request>[0];
let player: Account;
let admin: Account;

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  platform = stack.platform({}, undefined, host).platform;
  app = platform.app;
  player = await account(app);
  admin = await account(app, { admin: stack.backends, prefix: 'adm' });
});
afterAll(async () => {
  await host.close();
  await stack.close();
});

const concrete = (path: string) =>
  path
    .replace('{username}', player.name)
    .replace('{ticketId}', randomUUID())
    .replace('{matchId}', randomUUID());

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1 with a unique operationId on every operation', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents every route the app has, and no route it lacks', () => {
    const real = routesOf(platform.app)
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(real.length).toBeGreaterThan(15);
    expect(documented).toEqual(real);
  });

  it('marks exactly the routes that refuse a request without a token', async () => {
    for (const { method, path, op } of operations) {
      const res = await request(app)[method](concrete(path)).send({});
      const where = `${method.toUpperCase()} ${path}`;
      if (op.security?.length) expect(res.status, where).toBe(401);
      else expect(res.status, where).not.toBe(401);
    }
  });
});

describe('real responses fit the documented schemas', () => {
  function schemaOf(method: Method, path: string, status: number): z.ZodType {
    const op = resolved.paths[path]?.[method];
    const schema = op?.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${path} documents no JSON body for ${status}`);
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  }

  async function fits(method: Method, path: string, res: request.Response) {
    const out = schemaOf(method, path, res.status).safeParse(res.body);
    expect(out.success, `${method} ${path} ${res.status}: ${out.error?.message ?? ''}`).toBe(true);
  }

  it('accounts and health', async () => {
    const name = uniqueName();
    const creds = { username: name, password: PASSWORD };
    await fits('post', '/api/auth/signup', await request(app).post('/api/auth/signup').send(creds));
    await fits('post', '/api/auth/signup', await request(app).post('/api/auth/signup').send(creds));
    const login = await request(app).post('/api/auth/login').send(creds);
    await fits('post', '/api/auth/login', login);
    await fits('post', '/api/auth/login', await request(app).post('/api/auth/login').send({}));
    const refreshed = await request(app)
      .post('/api/auth/refresh')
      .send({ username: name, refreshToken: login.body.refreshToken });
    await fits('post', '/api/auth/refresh', refreshed);
    const auth = { authorization: `Bearer ${refreshed.body.accessToken}` };
    await fits('get', '/api/me', await request(app).get('/api/me').set(auth));
    await fits('get', '/api/me', await request(app).get('/api/me'));
    await fits('get', '/healthz', await request(app).get('/healthz'));
    await fits('get', '/readyz', await request(app).get('/readyz'));
  });

  it('leaderboard and profiles', async () => {
    await platform.leaderboard.playerUpdated(
      (await platform.players.get(player.name)) ?? player.name,
    );
    await fits('get', '/api/leaderboard', await request(app).get('/api/leaderboard'));
    await fits('get', '/api/leaderboard', await request(app).get('/api/leaderboard?page=0'));
    const around = '/api/leaderboard/around-me';
    await fits('get', around, await request(app).get(around).set(player.auth));
    await fits('get', around, await request(app).get(around).set(admin.auth));
    const profile = '/api/players/{username}';
    const shown = await request(app).get(`/api/players/${player.name}`);
    await fits('get', profile, shown);
    // The check has teeth: a profile that leaked a private field would not fit.
    for (const leak of [{ active: true }, { sessionJti: 'x' }, { lastCountedMatch: 'm' }]) {
      expect(schemaOf('get', profile, 200).safeParse({ ...shown.body, ...leak }).success).toBe(
        false,
      );
    }
    await fits('get', profile, await request(app).get(`/api/players/${uniqueName()}`));
  });

  it('matchmaking and admin', async () => {
    const queued = await request(app)
      .post('/api/match')
      .set(player.auth)
      .send({ offer: SAVED_OFFER });
    await fits('post', '/api/match', queued);
    const again = await request(app)
      .post('/api/match')
      .set(player.auth)
      .send({ offer: SAVED_OFFER });
    await fits('post', '/api/match', again);
    const a = (path: string) => request(app).get(path).set(admin.auth);
    await fits('get', '/api/admin/players', await a('/api/admin/players?limit=5'));
    await fits('get', '/api/admin/players', await a('/api/admin/players?active=true'));
    await fits(
      'get',
      '/api/admin/players/{username}',
      await a(`/api/admin/players/${player.name}`),
    );
    await fits('get', '/api/admin/matches', await a('/api/admin/matches'));
    await fits('get', '/api/admin/status', await a('/api/admin/status'));
    await fits(
      'get',
      '/api/admin/status',
      await request(app).get('/api/admin/status').set(player.auth),
    );
    const kick = await request(app).post(`/api/admin/players/${player.name}/kick`).set(admin.auth);
    await fits('post', '/api/admin/players/{username}/kick', kick);
    expect(kick.body.ticketCancelled).toBe(true);
  });
});
