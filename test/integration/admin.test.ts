// The admin REST API against real emulators and a real room host: who may call it (the
// Cognito group `admin`, from the next login), listings, a player's record, kicks, matches
// and status. Privacy between players is in admin-privacy.test.ts.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../../server/src/http/route-table.js';
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

/** Every admin route of the real app, with its parameters filled in. */
function adminRoutes(username: string) {
  const routes = routesOf(platform.app).filter((r) => r.path.startsWith('/api/admin'));
  return routes.map((r) => ({
    method: r.method.toLowerCase() as 'get' | 'post',
    path: r.path
      .replace(':username', username)
      .replace(':matchId', randomUUID())
      .replace(':id', randomUUID()),
  }));
}

describe('who may call /api/admin', () => {
  it('has the routes of the issues: players, a player, kick, matches, end a match, status, dead letters', () => {
    const routes = routesOf(platform.app).filter((r) => r.path.startsWith('/api/admin'));
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/admin/dead-letters',
      'GET /api/admin/matches',
      'GET /api/admin/players',
      'GET /api/admin/players/:username',
      'GET /api/admin/status',
      'POST /api/admin/dead-letters/:id/retry',
      'POST /api/admin/matches/:matchId/end',
      'POST /api/admin/players/:username/kick',
    ]);
  });

  it('answers 401 without a token and 403 forbidden to a player without the admin group, on every route', async () => {
    const player = await account(app);
    for (const r of [...adminRoutes(player.name), { method: 'get', path: '/api/admin/nope' }]) {
      const anonymous = await request(app)[r.method as 'get'](r.path);
      expect(anonymous.status, `${r.method} ${r.path}`).toBe(401);
      const refused = await request(app)[r.method as 'get'](r.path).set(player.auth);
      expect(refused.status, `${r.method} ${r.path}`).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    // And the player it might have kicked is still logged in.
    expect((await request(app).get('/api/me').set(player.auth)).status).toBe(200);
  });

  it('lets an admin read every read route (200)', async () => {
    const player = await account(app);
    for (const path of [
      '/api/admin/players',
      `/api/admin/players/${player.name}`,
      '/api/admin/matches',
      '/api/admin/status',
    ]) {
      const res = await request(app).get(path).set(admin.auth);
      expect(res.status, path).toBe(200);
    }
  });

  it('counts a promotion from the next login, as Cognito puts groups in the token then', async () => {
    const player = await account(app);
    await stack.backends.idp.addToGroup(player.name, 'admin');
    expect((await request(app).get('/api/admin/status').set(player.auth)).status).toBe(403);
    await request(app).post('/api/auth/logout').set(player.auth).expect(204);
    const again = await request(app)
      .post('/api/auth/login')
      .send({ username: player.name, password: PASSWORD })
      .expect(200);
    const res = await request(app)
      .get('/api/admin/status')
      .set('authorization', `Bearer ${again.body.accessToken}`);
    expect(res.status).toBe(200);
  });
});

describe('GET /api/admin/players', () => {
  async function everyName(query: string): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await request(app).get(`/api/admin/players?${q}`).set(admin.auth).expect(200);
      expect(res.body.players.length).toBeLessThanOrEqual(2);
      names.push(...res.body.players.map((p: { username: string }) => p.username));
      cursor = res.body.cursor;
    } while (cursor);
    return names;
  }

  it('pages with a cursor; active=true lists live sessions only, active=false the rest', async () => {
    const online = await Promise.all([account(app), account(app), account(app)]);
    const offline = [uniqueName(), uniqueName(), uniqueName()];
    for (const name of offline) {
      await request(app).post('/api/auth/signup').send({ username: name, password: PASSWORD });
    }
    const active = await everyName('active=true');
    const inactive = await everyName('active=false');
    const all = await everyName('x=1');
    expect(new Set(all).size).toBe(all.length);
    for (const p of online) {
      expect(active).toContain(p.name);
      expect(inactive).not.toContain(p.name);
      expect(all).toContain(p.name);
    }
    for (const name of offline) {
      expect(inactive).toContain(name);
      expect(active).not.toContain(name);
      expect(all).toContain(name);
    }
  });

  it('shows summaries without session fields', async () => {
    const res = await request(app).get('/api/admin/players?active=true').set(admin.auth);
    for (const p of res.body.players) {
      expect(p).not.toHaveProperty('sessionJti');
      expect(p).not.toHaveProperty('sessionRefreshHash');
      expect(p.active).toBe(true);
    }
  });

  it.each([
    ['active=maybe', 'active'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('refuses %s with 400 invalid_input', async (query, field) => {
    const res = await request(app).get(`/api/admin/players?${query}`).set(admin.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it('refuses a tampered cursor with 400, never a DynamoDB error', async () => {
    const forged = Buffer.from(
      JSON.stringify({ listing: 'online', key: { username: 'x', online: 'yes' } }),
    ).toString('base64url');
    const res = await request(app)
      .get(`/api/admin/players?active=true&cursor=${forged}`)
      .set(admin.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it('refuses a cursor of another listing', async () => {
    const first = await request(app).get('/api/admin/players?limit=1').set(admin.auth);
    const res = await request(app)
      .get(`/api/admin/players?active=true&cursor=${first.body.cursor}`)
      .set(admin.auth);
    expect(res.status).toBe(400);
  });
});

describe('GET /api/admin/players/:username', () => {
  it('gives the whole record but the refresh token hash', async () => {
    const player = await account(app);
    const res = await request(app).get(`/api/admin/players/${player.name}`).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      username: player.name,
      active: true,
      online: 1,
      sessionJti: expect.any(String),
      leaseExpiresAt: expect.any(Number),
      liveMatch: null,
    });
    expect(res.body).not.toHaveProperty('sessionRefreshHash');
  });

  it('answers 404 for an unknown player and 400 for a malformed name', async () => {
    const unknown = await request(app).get(`/api/admin/players/${uniqueName()}`).set(admin.auth);
    expect(unknown.status).toBe(404);
    const bad = await request(app).get('/api/admin/players/a%20b').set(admin.auth);
    expect(bad.status).toBe(400);
  });
});

describe('POST /api/admin/players/:username/kick', () => {
  it('ends the session: the token is refused at once, active is false, and they may log in again', async () => {
    const player = await account(app);
    const res = await request(app)
      .post(`/api/admin/players/${player.name}/kick`)
      .set(admin.auth)
      .expect(200);
    expect(res.body).toEqual({
      username: player.name,
      wasOnline: true,
      ticketCancelled: false,
      matchEnded: null,
    });
    expect((await request(app).get('/api/me').set(player.auth)).status).toBe(401);
    expect(await stack.readPlayer(player.name)).toMatchObject({ active: false });
    expect(await stack.readPlayer(player.name)).not.toHaveProperty('sessionJti');
    await request(app)
      .post('/api/auth/login')
      .send({ username: player.name, password: PASSWORD })
      .expect(200);
  });

  it('cancels a waiting matchmaking ticket', async () => {
    const player = await account(app);
    await request(app).post('/api/match').set(player.auth).send({ offer: SAVED_OFFER }).expect(201);
    const before = await request(app).get('/api/admin/status').set(admin.auth);
    expect(before.body.queueLength).toBe(1);
    const res = await request(app)
      .post(`/api/admin/players/${player.name}/kick`)
      .set(admin.auth)
      .expect(200);
    expect(res.body.ticketCancelled).toBe(true);
    const after = await request(app).get('/api/admin/status').set(admin.auth);
    expect(after.body.queueLength).toBe(0);
  });

  it('answers 404 for an unknown player', async () => {
    const res = await request(app).post(`/api/admin/players/${uniqueName()}/kick`).set(admin.auth);
    expect(res.status).toBe(404);
  });
});

describe('matches and status', () => {
  it('ending an unknown match answers 404', async () => {
    const res = await request(app).post(`/api/admin/matches/${randomUUID()}/end`).set(admin.auth);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('reports players online, matches, tick times, drops and memory', async () => {
    const res = await request(app).get('/api/admin/status').set(admin.auth).expect(200);
    expect(res.body).toMatchObject({
      playersOnline: expect.any(Number),
      queueLength: 0,
      matches: { live: 0, players: 0 },
      tickMs: { p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) },
      datagramsDropped: { malformed: 0, inputsDropped: 0, staleInputs: 0 },
      memory: { rss: expect.any(Number), heapUsed: expect.any(Number) },
    });
    expect(res.body.playersOnline).toBeGreaterThanOrEqual(1); // the admin
  });
});
