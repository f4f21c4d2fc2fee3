// A session accepts only the exact access token it issued. In local mode the emulator's signing
// key ships inside the cognito-local package, so anyone can mint a token that passes signature
// checks; the session record's SHA-256 of the whole token is what refuses it.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, PASSWORD } from '../support/accounts.js';
import { decode, sign } from '../support/jwt.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
let app: Parameters<typeof request>[0];

beforeAll(async () => {
  stack = await startLocalStack();
  app = stack.platform().platform.app;
});
afterAll(() => stack.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function session() {
  const name = uniqueName('bind');
  await request(app).post('/api/auth/signup').send({ username: name, password: PASSWORD });
  const res = await request(app)
    .post('/api/auth/login')
    .send({ username: name, password: PASSWORD })
    .expect(200);
  const body = res.body as { accessToken: string; refreshToken: string };
  return { name, ...body, claims: decode(body.accessToken).payload };
}

describe('the session is bound to the exact token', () => {
  it('a re-signed token with the same jti and "cognito:groups":["admin"] is refused (401) on /api/me and on admin routes', async () => {
    const s = await session();
    const forged = sign({ ...s.claims, 'cognito:groups': ['admin'] });
    // The forgery is good enough for the signature check: only the session binding stops it.
    await expect(stack.backends.verifier.verify(forged)).resolves.toMatchObject({
      jti: s.claims.jti,
      groups: ['admin'],
    });
    for (const path of ['/api/me', '/api/admin/players', '/api/admin/status']) {
      const res = await request(app).get(path).set(bearer(forged));
      expect(res.status, path).toBe(401);
      expect(res.body.error.code, path).toBe('unauthorized');
    }
    // The real token still works: the forgery did not end the session.
    await request(app).get('/api/me').set(bearer(s.accessToken)).expect(200);
  });

  it('any other changed claim with the same jti is refused too (a later exp)', async () => {
    const s = await session();
    const forged = sign({ ...s.claims, exp: Number(s.claims.exp) + 3600 });
    await expect(stack.backends.verifier.verify(forged)).resolves.toBeDefined();
    expect((await request(app).get('/api/me').set(bearer(forged))).status).toBe(401);
  });

  it('the session record holds the hash of the issued token, and a refresh moves it to the new one', async () => {
    const s = await session();
    expect((await stack.readPlayer(s.name))?.sessionTokenHash).toBe(sha256(s.accessToken));
    const refreshed = await request(app)
      .post('/api/auth/refresh')
      .send({ username: s.name, refreshToken: s.refreshToken })
      .expect(200);
    const fresh = String(refreshed.body.accessToken);
    expect((await stack.readPlayer(s.name))?.sessionTokenHash).toBe(sha256(fresh));
    await request(app).get('/api/me').set(bearer(fresh)).expect(200);
    expect((await request(app).get('/api/me').set(bearer(s.accessToken))).status).toBe(401);
  });

  it('the token hash never leaves the server (own record, admin view)', async () => {
    const s = await session();
    const me = await request(app).get('/api/me').set(bearer(s.accessToken)).expect(200);
    expect(me.body).not.toHaveProperty('sessionTokenHash');
    const admin = await account(app, { admin: { idp: stack.backends.idp } });
    const seen = await request(app).get(`/api/admin/players/${s.name}`).set(admin.auth).expect(200);
    expect(seen.body).toMatchObject({ username: s.name, sessionJti: s.claims.jti });
    expect(seen.body).not.toHaveProperty('sessionTokenHash');
    expect(seen.body).not.toHaveProperty('sessionRefreshHash');
  });
});

describe('the crit header (RFC 7515 4.1.11)', () => {
  it('a token whose header names any crit extension is refused by the verifier and by the API', async () => {
    const s = await session();
    await expect(stack.backends.verifier.verify(sign(s.claims))).resolves.toBeDefined();
    for (const crit of [['exp'], ['urn:example:unknown'], []]) {
      const token = sign(s.claims, { header: { crit } });
      await expect(
        stack.backends.verifier.verify(token),
        JSON.stringify(crit),
      ).rejects.toMatchObject({
        code: 'unauthorized',
      });
      expect((await request(app).get('/api/me').set(bearer(token))).status).toBe(401);
    }
  });
});
