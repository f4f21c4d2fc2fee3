// Per-user limits on authenticated routes: counted by the verified token's sub, across every
// authenticated route, answered 429 rate_limited with Retry-After; others are not affected.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account } from '../support/accounts.js';
import { decode, sign, strangerKey } from '../support/jwt.js';
import { startLocalStack, type LocalStack } from '../support/local-stack.js';

const LIMIT = 5;
let stack: LocalStack;
let app: Parameters<typeof request>[0];

beforeAll(async () => {
  stack = await startLocalStack();
  app = stack.platform({ RATE_LIMIT_AUTHED_PER_MINUTE: String(LIMIT) }).platform.app;
});
afterAll(() => stack.close());

describe('authenticated requests per user', () => {
  it(`the ${LIMIT + 1}th call in a minute is 429 rate_limited with Retry-After, on any authenticated route`, async () => {
    const p = await account(app);
    for (let i = 0; i < LIMIT; i++) await request(app).get('/api/me').set(p.auth).expect(200);
    for (const r of [
      request(app).get('/api/me'),
      request(app).get('/api/admin/players'),
      request(app).get('/api/admin/status'),
      request(app).post('/api/auth/logout'),
    ]) {
      const res = await r.set(p.auth);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('rate_limited');
      const retryAfter = Number(res.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  });

  it('another player is not affected by one player’s flood', async () => {
    const flooder = await account(app);
    const other = await account(app);
    for (let i = 0; i <= LIMIT; i++) await request(app).get('/api/me').set(flooder.auth);
    expect((await request(app).get('/api/me').set(flooder.auth)).status).toBe(429);
    await request(app).get('/api/me').set(other.auth).expect(200);
  });

  it('forged tokens naming a victim’s sub do not use up the victim’s quota', async () => {
    const victim = await account(app);
    const claims = decode(victim.token).payload;
    const forged = sign(claims, { key: strangerKey() });
    for (let i = 0; i < LIMIT * 2; i++) {
      const res = await request(app).get('/api/me').set('authorization', `Bearer ${forged}`);
      expect(res.status).toBe(401);
    }
    await request(app).get('/api/me').set(victim.auth).expect(200);
  });
});
