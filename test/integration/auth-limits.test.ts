// Rate limits on sign-up and login, keyed by client IP and by username, and what
// X-Forwarded-For can and cannot do about them.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.close());

const body = () => ({ username: uniqueName(), password: 'long enough' });

function expectLimited(res: request.Response) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('rate_limited');
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
}

describe('per-IP limit on sign-up', () => {
  it('answers 429 rate_limited with Retry-After past the limit', async () => {
    const { app } = stack.platform({ RATE_LIMIT_IP_PER_MINUTE: '3' }).platform;
    for (let i = 0; i < 3; i++)
      expect((await request(app).post('/api/auth/signup').send(body())).status).toBe(201);
    expectLimited(await request(app).post('/api/auth/signup').send(body()));
  });

  it('with no trusted proxy, a forged X-Forwarded-For earns no fresh quota', async () => {
    const { app } = stack.platform({ RATE_LIMIT_IP_PER_MINUTE: '2' }).platform;
    const send = (xff: string) =>
      request(app).post('/api/auth/signup').set('x-forwarded-for', xff).send(body());
    expect((await send('1.1.1.1')).status).toBe(201);
    expect((await send('2.2.2.2')).status).toBe(201);
    expectLimited(await send('3.3.3.3'));
  });

  it('behind one trusted proxy, only the address that proxy saw counts', async () => {
    const { app } = stack.platform({
      RATE_LIMIT_IP_PER_MINUTE: '2',
      TRUST_PROXY_HOPS: '1',
    }).platform;
    // The proxy appends the real peer (10.0.0.7); whatever the client wrote before it is ignored.
    const send = (forged: string) =>
      request(app)
        .post('/api/auth/signup')
        .set('x-forwarded-for', `${forged}, 10.0.0.7`)
        .send(body());
    expect((await send('1.1.1.1')).status).toBe(201);
    expect((await send('2.2.2.2')).status).toBe(201);
    expectLimited(await send('3.3.3.3'));
    // A different real client behind the same proxy has its own quota.
    const other = await request(app)
      .post('/api/auth/signup')
      .set('x-forwarded-for', '10.0.0.8')
      .send(body());
    expect(other.status).toBe(201);
  });
});

describe('login limits', () => {
  it('limits attempts per username whatever the IP (credential stuffing)', async () => {
    const { app } = stack.platform({
      RATE_LIMIT_USER_PER_MINUTE: '3',
      TRUST_PROXY_HOPS: '1',
    }).platform;
    const name = uniqueName();
    await request(app)
      .post('/api/auth/signup')
      .send({ username: name, password: 'long enough' })
      .expect(201);
    const attempt = (ip: string) =>
      request(app)
        .post('/api/auth/login')
        .set('x-forwarded-for', ip)
        .send({ username: name, password: 'wrong guess' });
    for (const ip of ['10.1.0.1', '10.1.0.2', '10.1.0.3'])
      expect((await attempt(ip)).status).toBe(401);
    expectLimited(await attempt('10.1.0.4'));
    // Another account is not affected by this one's limit.
    const other = await request(app)
      .post('/api/auth/login')
      .set('x-forwarded-for', '10.1.0.5')
      .send({ username: uniqueName(), password: 'whatever1' });
    expect(other.status).toBe(401);
  });

  it('limits login attempts per IP across usernames', async () => {
    const { app } = stack.platform({ RATE_LIMIT_IP_PER_MINUTE: '2' }).platform;
    const attempt = () =>
      request(app).post('/api/auth/login').send({ username: uniqueName(), password: 'whatever1' });
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    expectLimited(await attempt());
  });
});
