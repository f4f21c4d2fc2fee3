// A stranger's wrong guesses must not lock the owner out. Failed logins are counted per
// (username, client IP) strictly and per username loosely; successful logins count for neither.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

const PER_NAME_AND_IP = 10;
const PER_NAME = 30;
let stack: LocalStack;
let app: Parameters<typeof request>[0];

beforeAll(async () => {
  stack = await startLocalStack();
  app = stack.platform({
    RATE_LIMIT_USER_IP_PER_MINUTE: String(PER_NAME_AND_IP),
    RATE_LIMIT_USER_PER_MINUTE: String(PER_NAME),
    // One trusted proxy, so each test client has the address it claims behind it.
    TRUST_PROXY_HOPS: '1',
  }).platform.app;
});
afterAll(() => stack.close());

async function victim() {
  const name = uniqueName('lock');
  await request(app)
    .post('/api/auth/signup')
    .send({ username: name, password: PASSWORD })
    .expect(201);
  return name;
}
const login = (name: string, ip: string, password: string) =>
  request(app)
    .post('/api/auth/login')
    .set('x-forwarded-for', ip)
    .send({ username: name, password });

describe('login lockout', () => {
  it(`${PER_NAME_AND_IP} wrong passwords from one client lock out that client only; the right password from another client logs in`, async () => {
    const name = await victim();
    for (let i = 0; i < PER_NAME_AND_IP; i++)
      expect((await login(name, '10.9.0.1', 'wrong guess')).status).toBe(401);
    const blocked = await login(name, '10.9.0.1', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    const owner = await login(name, '10.9.0.2', PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.body.username).toBe(name);
  });

  it('the looser per-name limit stops guesses spread over many clients', async () => {
    const name = await victim();
    for (let i = 0; i < PER_NAME; i++)
      expect((await login(name, `10.8.${i}.1`, 'wrong guess')).status).toBe(401);
    expect((await login(name, '10.8.250.1', 'wrong guess')).status).toBe(429);
  });

  it('successful logins and refusals that are not guesses use up no quota', async () => {
    const name = await victim();
    // Right passwords (each taking the idle session over) and malformed bodies (400) are not
    // wrong guesses.
    expect((await login(name, '10.7.0.1', PASSWORD)).status).toBe(200);
    for (let i = 0; i < PER_NAME_AND_IP + 2; i++) {
      expect((await login(name, '10.7.0.1', PASSWORD)).status).toBe(200);
      expect((await login(name, '10.7.0.1', '')).status).toBe(400);
    }
    // Still room for a mistyped password from the same client.
    expect((await login(name, '10.7.0.1', 'typo typo')).status).toBe(401);
  });
});
