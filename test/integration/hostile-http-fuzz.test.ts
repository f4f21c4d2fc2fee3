// The catch-all: generated malformed requests to every route of the app's route table (and to
// methods it does not have). None may answer 5xx, and every error body carries a registry code.
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../server/src/errors.js';
import { routesOf, type RouteInfo } from '../../server/src/http/route-table.js';
import type { RoomHost } from '../../server/src/match/index.js';
import type { Platform } from '../../server/src/platform.js';
import { account, type Account } from '../support/accounts.js';
import { startLocalStack, type LocalStack } from '../support/local-stack.js';
import { startRooms } from '../support/rooms.js';

const RUNS_PER_ROUTE = 100;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
type Method = (typeof METHODS)[number];

let stack: LocalStack;
let host: RoomHost;
let platform: Platform;
let player: Account;
let admin: Account;
const sent = { requests: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  platform = stack.platform({}, undefined, host).platform;
  player = await account(platform.app, { prefix: 'fz' });
  admin = await account(platform.app, { admin: { idp: stack.backends.idp }, prefix: 'fa' });
});
afterAll(async () => {
  // For the report: how many requests were tried and what they got (not an assertion).
  console.info('hostile-http-fuzz', sent.requests, Object.fromEntries(sent.byStatus));
  await host.close();
  await stack.close();
});

// Path segments: percent-encoded arbitrary text, broken escapes, ids of the right shape.
const HOSTILE_SEGMENTS = ['%ZZ', '%', '%E0%A4%A', '%00', '%2F', '%C0%AF', '..', '%25', '%FF%FE'];
const segment = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom(...HOSTILE_SEGMENTS),
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9_-]{3,20}$/),
  fc.string({ maxLength: 300 }).map((s) => encodeURIComponent(s.repeat(4))),
);

// Query values that break parsers: big, negative, non-finite, hex, cursors of random JSON.
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url');
const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('1e200', '-1e200', 'NaN', 'Infinity', '-0', '0x10', '1.5', '', 'true', '[]'),
  fc.integer().map(String),
  fc.jsonValue({ maxDepth: 3 }).map(cursorOf),
  fc
    .record({ listing: fc.constantFrom('all', 'online', 'offline', 'x'), key: fc.jsonValue() })
    .map(cursorOf),
);
const queryKey = fc.oneof(
  fc.constantFrom('limit', 'cursor', 'active', 'page', 'size', 'radius', '__proto__', 'a[b]'),
  fc.string({ maxLength: 10 }),
);
// Raw (unencoded) pieces too: broken escapes, stray separators, brackets.
const rawQueryValue = fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%00', '&&', '==', '[]=1', '%5B%5D');
const query = fc
  .array(
    fc.tuple(
      queryKey.map(encodeURIComponent),
      fc.oneof({ arbitrary: queryValue.map(encodeURIComponent), weight: 3 }, rawQueryValue),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

// Bodies: arbitrary JSON (objects shaped like ours too), text, bytes, nothing.
const body = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc
    .record(
      {
        username: fc.jsonValue(),
        password: fc.jsonValue(),
        refreshToken: fc.jsonValue(),
        offer: fc.oneof(fc.string(), fc.jsonValue()),
        __proto__: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constant(undefined),
);
// Mostly what a client sends, so most requests get past the parsers to the routes' own checks.
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  fc.constantFrom(
    undefined,
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json;;;',
  ),
);
const contentEncoding = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 8 },
  fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'x'),
);
type Who = 'none' | 'garbage' | 'player' | 'admin';
const who = fc.constantFrom<Who>('none', 'garbage', 'player', 'admin');

const bearer = (w: Who): string | undefined =>
  ({
    none: undefined,
    garbage: 'Bearer a.b.c',
    player: `Bearer ${player.token}`,
    admin: `Bearer ${admin.token}`,
  })[w];

function fill(path: string, segments: string[]): string {
  let i = 0;
  return path.replace(/:\w+/g, () => segments[i++ % segments.length] ?? 'x');
}

async function tryOne(route: RouteInfo, r: Generated): Promise<void> {
  const method: Method = r.method ?? (route.method.toLowerCase() as Method);
  const path = `${fill(route.path, r.segments)}${r.trailingSlash ? '/' : ''}`;
  let req = request(platform.app)[method](r.query ? `${path}?${r.query}` : path);
  // A logout would end the shared sessions the other runs use, and a valid token opens the
  // presence stream, which never ends by itself (session-takeover.test.ts covers it): both
  // get no valid token.
  const noValidToken = ['/api/auth/logout', '/api/auth/presence'].includes(route.path);
  const auth = noValidToken ? bearer('garbage') : bearer(r.who);
  if (auth) req = req.set('authorization', auth);
  if (r.contentType) req = req.set('content-type', r.contentType);
  if (r.contentEncoding) req = req.set('content-encoding', r.contentEncoding);
  const res = r.body === undefined || method === 'head' ? await req : await req.send(r.body);
  sent.requests++;
  sent.byStatus.set(res.status, (sent.byStatus.get(res.status) ?? 0) + 1);
  const what = `${method.toUpperCase()} ${path} -> ${res.status} ${JSON.stringify(res.body)}`;
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400 && method !== 'head') {
    expect(Object.keys(ERRORS), what).toContain(res.body?.error?.code);
    expect(typeof res.body.error.message, what).toBe('string');
  }
}

interface Generated {
  method: Method | undefined;
  segments: string[];
  trailingSlash: boolean;
  query: string;
  body: string | Buffer | undefined;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  who: Who;
}

const generated: fc.Arbitrary<Generated> = fc.record({
  // Mostly the route's own method; sometimes any other.
  method: fc.option(fc.constantFrom(...METHODS), { freq: 4 }).map((m) => m ?? undefined),
  segments: fc.array(segment, { minLength: 1, maxLength: 3 }),
  trailingSlash: fc.boolean(),
  query: query,
  body,
  contentType,
  contentEncoding,
  who,
});

describe('no generated request to any route answers 5xx', () => {
  it('the route table has the routes under test', () => {
    const table = routesOf(platform.app).map((r) => `${r.method} ${r.path}`);
    for (const r of ['POST /api/match', 'GET /api/admin/players', 'GET /api/players/:username'])
      expect(table).toContain(r);
  });

  it(`${RUNS_PER_ROUTE} generated requests per route, every route`, async () => {
    // SSE would hold a stream open for a real ticket; generated ids are never real ones.
    const routes = routesOf(platform.app);
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(generated, (r) => tryOne(route, r)),
        { numRuns: RUNS_PER_ROUTE, seed: 20261201 + routes.indexOf(route) },
      );
    }
    expect(sent.requests).toBeGreaterThanOrEqual(routes.length * RUNS_PER_ROUTE);
  }, 300_000);
});
