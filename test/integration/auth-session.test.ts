// Single login, leases, revocation and the DynamoDB mirror, against real emulators.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../support/clock.js';
import { decode, sign, strangerKey } from '../support/jwt.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
let app: Parameters<typeof request>[0];
const PASSWORD = 'correct horse';

beforeAll(async () => {
  stack = await startLocalStack();
  app = stack.platform().platform.app;
});
afterAll(() => stack.close());

async function signup(a = app) {
  const name = uniqueName();
  await request(a)
    .post('/api/auth/signup')
    .send({ username: name, password: PASSWORD })
    .expect(201);
  return name;
}
const login = (name: string, a = app) =>
  request(a).post('/api/auth/login').send({ username: name, password: PASSWORD });
const me = (token: string, a = app) =>
  request(a).get('/api/me').set('authorization', `Bearer ${token}`);

describe('single login', () => {
  it('100 concurrent logins to one idle account: each takes the last over, exactly one session stays live', async () => {
    const name = await signup();
    const results = await Promise.all(Array.from({ length: 100 }, () => login(name)));
    // Any other answer is shown in the failure, so a stray status says what it was.
    const odd = JSON.stringify(
      results.filter((r) => r.status !== 200).map((r) => [r.status, r.body]),
    );
    // An idle session (not queued, not in a match) is taken over by a login: all are let in.
    expect(
      results.filter((r) => r.status === 200),
      odd,
    ).toHaveLength(100);
    // ...and every token but one is refused: exactly one live session is left.
    const checks = await Promise.all(results.map((r) => me(String(r.body.accessToken))));
    expect(checks.filter((c) => c.status === 200)).toHaveLength(1);
    const refused = checks.filter((c) => c.status === 401);
    expect(refused).toHaveLength(99);
    expect(
      refused.every((c) => ['session_replaced', 'unauthorized'].includes(c.body.error.code)),
    ).toBe(true);
    expect(await stack.readPlayer(name)).toMatchObject({ active: true });
    // (The strict case, a queued or in-match account: session-takeover.test.ts.)
  });

  it('a crashed session, never logged out, frees the account once its lease has passed', async () => {
    const clock = manualClock();
    const { platform, config } = stack.platform({ LEASE_SECONDS: '5' }, clock.now);
    const name = await signup(platform.app);
    const crashed = (await login(name, platform.app)).body.accessToken as string;

    clock.advance(4000); // still inside the lease
    expect(await stack.readPlayer(name)).toMatchObject({ active: true });
    expect((await me(crashed, platform.app)).status).toBe(200); // and that call renewed it

    clock.advance(config.LEASE_SECONDS * 1000 + 1);
    // The reaper makes the mirror tell the truth before anyone logs in again.
    expect(await platform.reaper.runOnce()).toBeGreaterThanOrEqual(1);
    expect(await stack.readPlayer(name)).toMatchObject({ active: false });

    const fresh = await login(name, platform.app);
    expect(fresh.status).toBe(200);
    expect((await me(crashed, platform.app)).status).toBe(401);
    expect((await me(fresh.body.accessToken, platform.app)).body.active).toBe(true);
  });

  it('a session idle past its lease is over even before the reaper runs', async () => {
    const clock = manualClock();
    const { platform } = stack.platform({ LEASE_SECONDS: '5' }, clock.now);
    const name = await signup(platform.app);
    const token = (await login(name, platform.app)).body.accessToken as string;
    clock.advance(5001);
    expect((await me(token, platform.app)).status).toBe(401);
  });
});

describe('the DynamoDB mirror', () => {
  it('holds exactly the mirrored fields after sign-up, and no password', async () => {
    const name = await signup();
    const item = await stack.readPlayer(name);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      [
        'username',
        'active',
        'timePlayed',
        'createdAt',
        'shotsFired',
        'hits',
        'asteroidsDestroyed',
        'wins',
        'losses',
        'draws',
        'matchesPlayed',
        'bestScore',
      ].sort(),
    );
    expect(item).toMatchObject({ username: name, active: false, timePlayed: 0 });
    expect(JSON.stringify(item)).not.toContain(PASSWORD);
  });

  it('login adds only the session fields and sets active; logout clears them', async () => {
    const name = await signup();
    const { accessToken, refreshToken } = (await login(name)).body as {
      accessToken: string;
      refreshToken: string;
    };
    const item = await stack.readPlayer(name);
    expect(item).toMatchObject({
      active: true,
      online: 1,
      sessionJti: decode(accessToken).payload.jti,
    });
    expect(item?.leaseExpiresAt).toEqual(expect.any(Number));
    expect(JSON.stringify(item)).not.toContain(PASSWORD);
    expect(JSON.stringify(item)).not.toContain(refreshToken); // only its hash
    await request(app)
      .post('/api/auth/logout')
      .set('authorization', `Bearer ${accessToken}`)
      .expect(204);
    const after = await stack.readPlayer(name);
    expect(after?.active).toBe(false);
    for (const f of ['online', 'sessionJti', 'sessionRefreshHash', 'leaseExpiresAt'])
      expect(after).not.toHaveProperty(f);
  });
});

describe('forged and tampered tokens are refused', () => {
  let name: string;
  let real: string;
  let claims: Record<string, unknown>;
  let issuer: string;

  beforeAll(async () => {
    name = await signup();
    const body = (await login(name)).body as { accessToken: string; idToken: string };
    real = body.accessToken;
    claims = decode(real).payload;
    issuer = String(claims.iss);
  });

  const refused = async (token: string) => {
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  };

  it('accepts the real token (the control)', async () => {
    expect((await me(real)).status).toBe(200);
    // And a re-signed copy of it with the emulator's key passes the verifier too, so the
    // refusals below come from the claim each one changes, not from the signing. (The session
    // itself accepts only the exact token it issued: see session-binding.test.ts.)
    await expect(stack.backends.verifier.verify(sign(claims))).resolves.toMatchObject({
      jti: claims.jti,
    });
  });

  it('alg: none', () => refused(sign(claims, { alg: 'none' })));
  it('a wrong issuer', () =>
    refused(sign({ ...claims, iss: issuer.replace(/local_\w+$/, 'local_Other1') })));
  it('another app client', () => refused(sign({ ...claims, client_id: 'someotherclient' })));
  it('an id token used as an access token', () => refused(sign({ ...claims, token_use: 'id' })));
  it('an expired token', () =>
    refused(sign({ ...claims, iat: 1_000_000, exp: Math.floor(Date.now() / 1000) - 1 })));
  it('an unknown kid', () => refused(sign(claims, { kid: 'not-a-known-key' })));
  it('a token signed by another key under the known kid', () =>
    refused(sign(claims, { key: strangerKey() })));
  it('a tampered payload with the original signature', async () => {
    const [h, , s] = real.split('.');
    const other = Buffer.from(JSON.stringify({ ...claims, username: 'someone_else' })).toString(
      'base64url',
    );
    await refused(`${h}.${other}.${s}`);
  });
  it('a well-signed token for another player whose session it is not', async () => {
    const victim = await signup();
    await login(victim);
    await refused(sign({ ...claims, username: victim }));
  });
});

describe('id tokens', () => {
  it('a real id token is refused as a bearer token', async () => {
    const name = await signup();
    const { idToken } = (await login(name)).body as { idToken: string };
    const res = await me(idToken);
    expect(res.status).toBe(401);
  });
});
