// Malformed requests, case by case: each is a 4xx with a registry code, never a 500. The real
// app on the real emulators, with real match rooms so the signalling routes are mounted.
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../server/src/errors.js';
import type { RoomHost } from '../../server/src/match/index.js';
import { account, type Account } from '../support/accounts.js';
import { decode, sign } from '../support/jwt.js';
import { startLocalStack, type LocalStack } from '../support/local-stack.js';
import { startRooms } from '../support/rooms.js';

let stack: LocalStack;
let host: RoomHost;
let app: Parameters<typeof request>[0];
let player: Account;
let admin: Account;

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  app = stack.platform({}, undefined, host).platform.app;
  player = await account(app, { prefix: 'hp' });
  admin = await account(app, { admin: { idp: stack.backends.idp }, prefix: 'ha' });
});
afterAll(async () => {
  await host.close();
  await stack.close();
});

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
const send = (method: Method, path: string) => request(app)[method](path).set(admin.auth);

function expectError(res: request.Response, status: number, code: keyof typeof ERRORS) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
}

describe('malformed percent-encoding in a path parameter is 400 invalid_input', () => {
  it.each([
    ['get', '/api/players/%ZZ'],
    ['get', '/api/match/%ZZ/events'],
    ['delete', '/api/match/%ZZ'],
    ['get', '/api/admin/players/%ZZ'],
    ['post', '/api/admin/players/%E0%A4%A/kick'],
    ['post', '/api/admin/matches/%ZZ/end'],
    ['get', '/api/players/%'],
  ] as [Method, string][])('%s %s', async (method, path) => {
    expectError(await send(method, path), 400, 'invalid_input');
  });
});

describe('a compressed or wrongly encoded body is 415 unsupported_media_type', () => {
  const garbage = Buffer.from('definitely not a compressed stream');
  const json = JSON.stringify({ username: 'abc', password: 'long enough' });
  it.each([
    ['gzip', garbage],
    ['deflate', garbage],
    ['br', garbage],
    ['gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['br', brotliCompressSync(json)],
    ['compress', garbage],
    ['gzip, br', garbage],
  ])('Content-Encoding %s on login and on POST /api/match', async (encoding, body) => {
    for (const path of ['/api/auth/login', '/api/match']) {
      const res = await request(app)
        .post(path)
        .set(player.auth)
        .set('content-type', 'application/json')
        .set('content-encoding', encoding)
        .send(body);
      expectError(res, 415, 'unsupported_media_type');
    }
  });

  it('a Content-Encoding header on a request without a body changes nothing', async () => {
    const res = await request(app).get('/api/me').set(player.auth).set('content-encoding', 'gzip');
    expect(res.status).toBe(200);
  });

  it('a charset other than UTF-8 is refused (latin1 415; utf-16 400)', async () => {
    const post = (ct: string) =>
      request(app).post('/api/auth/login').set('content-type', ct).send('{"username":"abc"}');
    expectError(await post('application/json; charset=latin1'), 415, 'unsupported_media_type');
    expectError(await post('application/json; charset=utf-16'), 400, 'invalid_json');
    // Upper case UTF-8 is UTF-8.
    expectError(await post('application/json; charset=UTF-8'), 400, 'invalid_input');
  });
});

describe('admin listing cursors out of range are 400 invalid_input', () => {
  const cursor = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const online = (key: unknown) => cursor({ listing: 'online', key });
  it.each([
    ['leaseExpiresAt 1e200', online({ username: 'abc', online: 1, leaseExpiresAt: 1e200 })],
    ['leaseExpiresAt -1e200', online({ username: 'abc', online: 1, leaseExpiresAt: -1e200 })],
    ['leaseExpiresAt 1.5', online({ username: 'abc', online: 1, leaseExpiresAt: 1.5 })],
    ['leaseExpiresAt "NaN"', online({ username: 'abc', online: 1, leaseExpiresAt: 'NaN' })],
    [
      'leaseExpiresAt null (NaN in JSON)',
      online({ username: 'abc', online: 1, leaseExpiresAt: NaN }),
    ],
    ['online 2', online({ username: 'abc', online: 2, leaseExpiresAt: 1 })],
    ['username a number', online({ username: 5, online: 1, leaseExpiresAt: 1 })],
    ['username empty', online({ username: '', online: 1, leaseExpiresAt: 1 })],
    ['an extra key', online({ username: 'abc', online: 1, leaseExpiresAt: 1, x: 1 })],
    ['a missing key', online({ username: 'abc', online: 1 })],
    ['another listing’s cursor', cursor({ listing: 'all', key: { username: 'abc' } })],
    ['a key that is an array', online([1, 2])],
    ['not base64 JSON', '!!!notbase64'],
    ['JSON but not an object', cursor(12)],
  ])('%s', async (_name, c) => {
    const res = await send('get', `/api/admin/players?active=true&cursor=${encodeURIComponent(c)}`);
    expectError(res, 400, 'invalid_input');
  });

  it('an all-players cursor naming a 2,000-character username is refused too', async () => {
    const c = cursor({ listing: 'all', key: { username: 'x'.repeat(1000) } });
    expectError(await send('get', `/api/admin/players?cursor=${c}`), 400, 'invalid_input');
  });
});

describe('query parameters of the wrong type or shape are 400 invalid_input', () => {
  it.each([
    '/api/admin/players?limit=1e200',
    '/api/admin/players?limit=abc',
    '/api/admin/players?limit=1&limit=2',
    '/api/admin/players?cursor=a&cursor=b',
    '/api/admin/players?active=1',
    '/api/admin/players?active=true&active=false',
    '/api/leaderboard?page=1e400',
    '/api/leaderboard?page=-1',
    '/api/leaderboard?page=1&page=2',
    '/api/leaderboard/around-me?radius=Infinity',
  ])('%s', async (path) => {
    expectError(await send('get', path), 400, 'invalid_input');
  });

  it.each([
    '/api/leaderboard?page=%ZZ',
    '/api/admin/players?cursor=%E0%A4%A',
    '/api/admin/players?limit=%',
    '/api/leaderboard/around-me?radius=%00',
  ])('malformed percent-encoding in a query value: %s', async (path) => {
    expectError(await send('get', path), 400, 'invalid_input');
  });

  it('a 12 KB query string of junk keys is ignored, not a failure', async () => {
    const res = await send('get', `/api/leaderboard?${'a=1&'.repeat(3000)}`);
    expect(res.status).toBe(200);
  });
});

describe('bodies of the wrong JSON type are 400', () => {
  const login = (body: string) =>
    request(app).post('/api/auth/login').set('content-type', 'application/json').send(body);
  it.each([
    ['[]', 'invalid_input'],
    ['1', 'invalid_json'],
    ['"x"', 'invalid_json'],
    ['null', 'invalid_json'],
    ['true', 'invalid_json'],
    ['', 'invalid_input'],
    ['{"username":["abc"],"password":"long enough"}', 'invalid_input'],
    ['{"username":"abc","password":{"length":99}}', 'invalid_input'],
    ['{"username":"abc","password":' + '['.repeat(5000) + ']'.repeat(5000) + '}', 'invalid_input'],
  ] as [string, keyof typeof ERRORS][])('%s', async (body, code) => {
    expectError(await login(body), 400, code);
  });

  it('prototype-pollution keys change nothing and pollute nothing', async () => {
    const body =
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"username":"abc"}';
    expectError(await login(body), 400, 'invalid_input');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('duplicate keys: the last one counts, as in JSON.parse', async () => {
    const body = '{"username":"ab","username":"abc-dup-key","password":"x"}';
    expectError(await login(body), 401, 'unknown_user');
  });

  it('a JSON body on a GET is parsed and ignored; a broken one is 400', async () => {
    const get = (body: string) =>
      request(app)
        .get('/api/me')
        .set(player.auth)
        .set('content-type', 'application/json')
        .send(body);
    expect((await get('{"username":"someone_else"}')).body.username).toBe(player.name);
    expectError(await get('{broken'), 400, 'invalid_json');
  });
});

describe('methods and paths the table does not have', () => {
  it.each([
    ['put', '/api/me'],
    ['patch', '/api/auth/login'],
    ['delete', '/api/leaderboard'],
    ['get', '/api/auth/login'],
    ['post', '/api/players/abc'],
    ['get', '/api/nothing-here'],
  ] as [Method, string][])('%s %s is 404 not_found', async (method, path) => {
    expectError(await send(method, path), 404, 'not_found');
  });

  it.each(['/api/me/', '/api/leaderboard/', '/api/admin/status/'])(
    'a trailing slash is the same route: %s',
    async (path) => {
      expect((await send('get', path)).status).toBe(200);
    },
  );

  it.each(['/api/me', '/api/leaderboard', '/api/admin/players', '/healthz'])(
    'HEAD and OPTIONS %s answer without a body and without failing',
    async (path) => {
      expect((await send('head', path)).status).toBe(200);
      const options = await send('options', path);
      expect(options.status).toBeLessThan(300);
      expect(options.get('allow')).toContain('GET');
    },
  );
});

describe('well-signed tokens carrying keys DynamoDB would refuse are 401', () => {
  it.each([
    ['an empty username', { username: '' }],
    ['a 3,000-character username', { username: 'x'.repeat(3000) }],
    ['a username that is not a string', { username: 42 }],
    ['an empty jti', { jti: '' }],
    ['a sub with spaces', { sub: 'a b' }],
  ])('%s', async (_name, change) => {
    const token = sign({ ...decode(player.token).payload, ...change });
    const res = await request(app).get('/api/me').set('authorization', `Bearer ${token}`);
    expectError(res, 401, 'unauthorized');
  });
});
