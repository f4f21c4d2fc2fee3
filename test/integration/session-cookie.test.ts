// The browser's session cookie: its attributes, the refresh it allows (same-origin only), the
// body-token refresh that bots keep, and logout clearing it. Real emulators, a real listener.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
let server: Server;
let base: string;

beforeAll(async () => {
  stack = await startLocalStack();
  server = stack.platform().platform.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

async function loggedIn(host?: string) {
  const name = uniqueName('ck');
  await request(base).post('/api/auth/signup').send({ username: name, password: PASSWORD });
  const req = request(base).post('/api/auth/login');
  if (host) void req.set('host', host);
  const res = await req.send({ username: name, password: PASSWORD }).expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith('duel_refresh='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return {
    name,
    cookie,
    pair: cookie.split(';')[0] ?? '',
    accessToken: String(res.body.accessToken),
    refreshToken: String(res.body.refreshToken),
  };
}

const attributes = (cookie: string) =>
  cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().split('=')[0]?.toLowerCase());

const resume = (pair: string | undefined, origin: string | undefined) => {
  const req = request(base).post('/api/auth/refresh');
  if (pair) void req.set('cookie', pair);
  if (origin) void req.set('origin', origin);
  return req;
};

describe('the refresh cookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /api/auth, and not Secure only on local loopback http', async () => {
    const s = await loggedIn();
    expect(s.cookie).toMatch(/; HttpOnly/);
    expect(s.cookie).toMatch(/; SameSite=Strict/);
    expect(s.cookie).toMatch(/; Path=\/api\/auth(;|$)/);
    expect(s.cookie).toMatch(/; Max-Age=\d+/);
    expect(attributes(s.cookie)).not.toContain('secure');
    // The same local server reached under a name that is not loopback: Secure stays on.
    const named = await loggedIn('duel.example.org');
    expect(attributes(named.cookie)).toContain('secure');
  });

  it('resumes the session from a page of this site: the username and a working token', async () => {
    const s = await loggedIn();
    const res = await resume(s.pair, base).expect(200);
    expect(res.body).toEqual({
      username: s.name,
      accessToken: expect.stringMatching(/^ey/),
      idToken: expect.stringMatching(/^ey/),
      expiresIn: expect.any(Number),
    });
    await request(base)
      .get('/api/me')
      .set('authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
  });

  it('refuses a cookie refresh from another origin, or with no Origin: 403 bad_origin', async () => {
    const s = await loggedIn();
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', undefined]) {
      const res = await resume(s.pair, origin);
      expect(res.status, String(origin)).toBe(403);
      expect(res.body.error.code).toBe('bad_origin');
    }
    // And nothing was rotated: the session's token still works.
    await request(base).get('/api/me').set('authorization', `Bearer ${s.accessToken}`).expect(200);
  });

  it('with no cookie and no body token: 401 unauthorized', async () => {
    const res = await resume(undefined, base);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('a damaged cookie is 401, never a 500', async () => {
    for (const pair of ['duel_refresh=nocolon', 'duel_refresh=x:y', 'duel_refresh=%ZZ']) {
      const res = await resume(pair, base);
      expect(res.status, pair).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('the body form still works for non-browser clients, with no Origin and no cookie', async () => {
    const s = await loggedIn();
    const res = await request(base)
      .post('/api/auth/refresh')
      .send({ username: s.name, refreshToken: s.refreshToken })
      .expect(200);
    expect(res.body).toMatchObject({ username: s.name, accessToken: expect.any(String) });
  });

  it('logout clears the cookie and ends the session: the cookie then resumes nothing', async () => {
    const s = await loggedIn();
    const out = await request(base)
      .post('/api/auth/logout')
      .set('authorization', `Bearer ${s.accessToken}`)
      .set('cookie', s.pair)
      .expect(204);
    const cleared = ([] as string[]).concat(out.headers['set-cookie'] ?? []);
    expect(cleared.some((c) => /^duel_refresh=;.*Expires=Thu, 01 Jan 1970/.test(c))).toBe(true);
    expect(cleared.some((c) => c.includes('Path=/api/auth'))).toBe(true);
    const again = await resume(s.pair, base);
    expect(again.status).toBe(401);
    await request(base).get('/api/me').set('authorization', `Bearer ${s.accessToken}`).expect(401);
  });

  it('the cookie of a session taken over by another login is told session_replaced', async () => {
    const s = await loggedIn();
    await request(base)
      .post('/api/auth/login')
      .send({ username: s.name, password: PASSWORD })
      .expect(200);
    const res = await resume(s.pair, base);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_replaced');
  });
});
