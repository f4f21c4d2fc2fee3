// Privacy between players, against real emulators and a real room host: what one player can
// see of another, and that no write route lets a body set fields the server owns.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomHost } from '../../server/src/match/index.js';
import type { Platform } from '../../server/src/platform.js';
import { account, PASSWORD, type Account } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { SAVED_OFFER, startRooms } from '../support/rooms.js';

let stack: LocalStack;
let host: RoomHost;
let platform: Platform;
let app: Parameters<typeof request>[0];
let admin: Account;

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  platform = stack.platform({}, undefined, host).platform;
  app = platform.app;
  admin = await account(app, { admin: stack.backends, prefix: 'adm' });
});
afterAll(async () => {
  await host.close();
  await stack.close();
});

describe('one player and another', () => {
  it('A sees only B’s public profile, and the admin routes refuse A', async () => {
    const a = await account(app);
    const b = await account(app);
    const profile = await request(app).get(`/api/players/${b.name}`).set(a.auth).expect(200);
    expect(Object.keys(profile.body).sort()).toEqual(
      [
        'username',
        'createdAt',
        'timePlayed',
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
    expect((await request(app).get(`/api/admin/players/${b.name}`).set(a.auth)).status).toBe(403);
    expect((await request(app).post(`/api/admin/players/${b.name}/kick`).set(a.auth)).status).toBe(
      403,
    );
    expect((await request(app).get('/api/me').set(b.auth)).status).toBe(200);
    // /api/me is always the caller's own record, whatever is asked for.
    const me = await request(app).get(`/api/me?username=${b.name}`).set(a.auth).expect(200);
    expect(me.body.username).toBe(a.name);
  });

  it('a public profile answers 404 for an unknown name and 400 for a malformed one', async () => {
    expect((await request(app).get(`/api/players/${uniqueName()}`)).status).toBe(404);
    expect((await request(app).get('/api/players/x')).status).toBe(400);
  });
});

describe('bodies cannot set what the server owns', () => {
  const extras = {
    active: true,
    timePlayed: 9999,
    wins: 50,
    bestScore: 1_000_000,
    matchesPlayed: 7,
    groups: ['admin'],
    'cognito:groups': ['admin'],
    rankKey: '000000000.x',
    online: 1,
    leaseExpiresAt: 1,
  };
  const zeroed = {
    timePlayed: 0,
    wins: 0,
    bestScore: 0,
    matchesPlayed: 0,
  };

  it('signup, login, refresh and logout ignore extra fields', async () => {
    const name = uniqueName();
    await request(app)
      .post('/api/auth/signup')
      .send({ username: name, password: PASSWORD, ...extras })
      .expect(201);
    expect(await stack.readPlayer(name)).toMatchObject({ active: false, ...zeroed });
    expect(await stack.readPlayer(name)).not.toHaveProperty('rankKey');

    const login = await request(app)
      .post('/api/auth/login')
      .send({ username: name, password: PASSWORD, ...extras })
      .expect(200);
    const auth = { authorization: `Bearer ${login.body.accessToken}` };
    expect(await stack.readPlayer(name)).toMatchObject({ active: true, ...zeroed });
    expect((await request(app).get('/api/admin/status').set(auth)).status).toBe(403);

    const refreshed = await request(app)
      .post('/api/auth/refresh')
      .send({ username: name, refreshToken: login.body.refreshToken, ...extras })
      .expect(200);
    const auth2 = { authorization: `Bearer ${refreshed.body.accessToken}` };
    expect(await stack.readPlayer(name)).toMatchObject(zeroed);

    await request(app).post('/api/auth/logout').set(auth2).send(extras).expect(204);
    expect(await stack.readPlayer(name)).toMatchObject({ active: false, ...zeroed });
  });

  it('a matchmaking request and admin actions ignore extra fields', async () => {
    const player = await account(app);
    await request(app)
      .post('/api/match')
      .set(player.auth)
      .send({ offer: SAVED_OFFER, ...extras })
      .expect(201);
    expect(await stack.readPlayer(player.name)).toMatchObject({ active: true, ...zeroed });
    await request(app)
      .post(`/api/admin/players/${player.name}/kick`)
      .set(admin.auth)
      .send(extras)
      .expect(200);
    const item = await stack.readPlayer(player.name);
    expect(item).toMatchObject({ active: false, ...zeroed });
    expect(item).not.toHaveProperty('rankKey');
  });
});
