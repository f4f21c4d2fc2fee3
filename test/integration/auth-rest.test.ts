// Every row of the REST table in DESIGN.md, against real emulators on free ports.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import request from 'supertest';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import { createPlatform, type Platform } from '../../server/src/platform.js';
import { decode } from '../support/jwt.js';
import { freePort } from '../support/ports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
let app: Parameters<typeof request>[0];
let players: Platform['players'];

beforeAll(async () => {
  stack = await startLocalStack();
  ({ app, players } = stack.platform().platform);
});
afterAll(() => stack.close());

const signup = (username: string, password = 'correct horse') =>
  request(app).post('/api/auth/signup').send({ username, password });
const login = (username: string, password = 'correct horse') =>
  request(app).post('/api/auth/login').send({ username, password });

function expectError(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
}

describe('POST /api/auth/signup', () => {
  it('creates an account that can log in at once (201 {username})', async () => {
    const name = uniqueName();
    const res = await signup(name);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ username: name });
    expect((await login(name)).status).toBe(200);
  });

  it.each([
    ['no body', undefined],
    ['username too short', { username: 'ab', password: 'long enough' }],
    ['username too long', { username: 'a'.repeat(21), password: 'long enough' }],
    ['username with a space', { username: 'a b c', password: 'long enough' }],
    ['username not a string', { username: 42, password: 'long enough' }],
    ['password missing', { username: 'valid_name' }],
  ])('answers 400 invalid_input for %s', async (_what, body) => {
    expectError(await request(app).post('/api/auth/signup').send(body), 400, 'invalid_input');
  });

  it('answers 400 weak_password for a 7-character password, and accepts 8 with no composition rules', async () => {
    expectError(await signup(uniqueName(), 'abcdefg'), 400, 'weak_password');
    expect((await signup(uniqueName(), 'abcdefgh')).status).toBe(201);
  });

  it('answers 409 username_taken for a name in use', async () => {
    const name = uniqueName();
    await signup(name);
    expectError(await signup(name, 'another password'), 409, 'username_taken');
  });

  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const res = await request(app)
      .post('/api/auth/signup')
      .set('content-type', 'application/json')
      .send('{"username":');
    expectError(res, 400, 'invalid_json');
  });

  it('answers 413 payload_too_large for a body over 16 KB', async () => {
    const res = await request(app)
      .post('/api/auth/signup')
      .send({ username: uniqueName(), password: 'x'.repeat(17 * 1024) });
    expectError(res, 413, 'payload_too_large');
  });
});

describe('POST /api/auth/login', () => {
  it('answers 200 with the tokens and their lifetime', async () => {
    const name = uniqueName();
    await signup(name);
    const res = await login(name);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      username: name,
      accessToken: expect.stringMatching(/^ey/),
      idToken: expect.stringMatching(/^ey/),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
    });
    expect(res.body.expiresIn).toBeGreaterThan(3000);
    expect(res.body.expiresIn).toBeLessThanOrEqual(3600);
    // Tokens: no cache may keep this answer (RFC 6749 5.1), nor revalidate it.
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
  });

  it('answers 400 invalid_input for a malformed body', async () => {
    expectError(
      await request(app).post('/api/auth/login').send({ username: 'x' }),
      400,
      'invalid_input',
    );
  });

  it('answers 401 unknown_user and 401 wrong_password apart', async () => {
    const name = uniqueName();
    await signup(name);
    expectError(await login(uniqueName()), 401, 'unknown_user');
    expectError(await login(name, 'not the password'), 401, 'wrong_password');
  });

  it('takes over a live idle session: the old token then answers 401 session_replaced', async () => {
    const name = uniqueName();
    await signup(name);
    const old = await login(name);
    expect(old.status).toBe(200);
    const fresh = await login(name);
    expect(fresh.status).toBe(200);
    const me = (t: string) => request(app).get('/api/me').set('authorization', `Bearer ${t}`);
    expectError(await me(String(old.body.accessToken)), 401, 'session_replaced');
    expect((await me(String(fresh.body.accessToken))).status).toBe(200);
  });

  it('answers 409 already_logged_in while the session is busy (queued or in a match)', async () => {
    const name = uniqueName();
    await signup(name);
    const s = await login(name);
    // What the signalling service records when this session queues (session-takeover.test.ts
    // drives it through POST /api/match).
    const jti = String(decode(s.body.accessToken).payload.jti);
    expect(await players.markQueued(name, jti, 'a-ticket', Date.now())).toBe(true);
    expectError(await login(name), 409, 'already_logged_in');
  });

  it('merges both refusals into 401 invalid_credentials with AUTH_MERGE_LOGIN_ERRORS=true', async () => {
    const merged = stack.platform({ AUTH_MERGE_LOGIN_ERRORS: 'true' }).platform.app;
    const name = uniqueName();
    await signup(name);
    const unknown = await request(merged)
      .post('/api/auth/login')
      .send({ username: uniqueName(), password: 'whatever1' });
    const wrong = await request(merged)
      .post('/api/auth/login')
      .send({ username: name, password: 'whatever1' });
    expectError(unknown, 401, 'invalid_credentials');
    expectError(wrong, 401, 'invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
  });
});

describe('sessions: /api/me, refresh, logout', () => {
  async function loggedIn() {
    const name = uniqueName();
    await signup(name);
    return { name, ...(await login(name)).body } as {
      name: string;
      accessToken: string;
      refreshToken: string;
    };
  }

  it('GET /api/me answers the caller’s own record, without session fields', async () => {
    const s = await loggedIn();
    const res = await request(app).get('/api/me').set('authorization', `Bearer ${s.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      username: s.name,
      active: true,
      timePlayed: 0,
      wins: 0,
      shotsFired: 0,
    });
    for (const secret of [
      'leaseExpiresAt',
      'sessionJti',
      'sessionRefreshHash',
      'online',
      'password',
    ]) {
      expect(res.body).not.toHaveProperty(secret);
    }
  });

  it('GET /api/me answers 401 unauthorized without a token or with a garbage one', async () => {
    expectError(await request(app).get('/api/me'), 401, 'unauthorized');
    expectError(
      await request(app).get('/api/me').set('authorization', 'Bearer a.b.c'),
      401,
      'unauthorized',
    );
    expectError(
      await request(app).get('/api/me').set('authorization', 'Basic dXNlcjpwdw=='),
      401,
      'unauthorized',
    );
  });

  it('refresh gives new working tokens; the refreshed-away access token is refused', async () => {
    const s = await loggedIn();
    const res = await request(app)
      .post('/api/auth/refresh')
      .send({ username: s.name, refreshToken: s.refreshToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      username: s.name,
      accessToken: expect.stringMatching(/^ey/),
      idToken: expect.stringMatching(/^ey/),
      expiresIn: expect.any(Number),
    });
    expect(
      (await request(app).get('/api/me').set('authorization', `Bearer ${res.body.accessToken}`))
        .status,
    ).toBe(200);
    expectError(
      await request(app).get('/api/me').set('authorization', `Bearer ${s.accessToken}`),
      401,
      'unauthorized',
    );
  });

  it('refresh answers 401 for a bad token, for another player’s name, and after logout', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const refresh = (username: string, refreshToken: string) =>
      request(app).post('/api/auth/refresh').send({ username, refreshToken });
    expectError(await refresh(a.name, 'not-a-refresh-token'), 401, 'unauthorized');
    expectError(await refresh(a.name, b.refreshToken), 401, 'unauthorized');
    await request(app)
      .post('/api/auth/logout')
      .set('authorization', `Bearer ${a.accessToken}`)
      .expect(204);
    expectError(await refresh(a.name, a.refreshToken), 401, 'unauthorized');
  });

  it('logout answers 204, clears active, refuses the token at once, and frees the account', async () => {
    const s = await loggedIn();
    const auth = `Bearer ${s.accessToken}`;
    const out = await request(app).post('/api/auth/logout').set('authorization', auth);
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expectError(await request(app).get('/api/me').set('authorization', auth), 401, 'unauthorized');
    expectError(
      await request(app).post('/api/auth/logout').set('authorization', auth),
      401,
      'unauthorized',
    );
    const again = await login(s.name);
    expect(again.status).toBe(200);
    const me = await request(app)
      .get('/api/me')
      .set('authorization', `Bearer ${again.body.accessToken}`);
    expect(me.body.active).toBe(true);
  });

  it('logout answers 401 without a token', async () => {
    expectError(await request(app).post('/api/auth/logout'), 401, 'unauthorized');
  });
});

describe('health', () => {
  it('GET /healthz answers 200', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
  });

  it('GET /readyz answers 200 when Cognito and DynamoDB answer', async () => {
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ cognito: 'ok', dynamodb: 'ok' });
  });

  it('GET /readyz answers 503 naming DynamoDB when it does not answer', async () => {
    // A real client pointed at a port where nothing listens.
    const dead = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${await freePort()}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const platform = createPlatform({
      config: loadConfig(stack.baseEnv),
      logger: createLogger('silent'),
      backends: { ...stack.backends, dynamo: dead },
    });
    const res = await request(platform.app).get('/readyz');
    await platform.close();
    dead.destroy();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    expect(res.body.error.message).toContain('dynamodb');
    expect(res.body.error.message).not.toContain('cognito');
  });

  it('unknown API paths answer 404 not_found in the error shape', async () => {
    expectError(await request(app).get('/api/nothing-here'), 404, 'not_found');
  });

  it('sends helmet’s security headers', async () => {
    const res = await request(app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
