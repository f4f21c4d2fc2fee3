// A login takes over an idle session and is refused (409) while the session is queued or in a
// match: real emulators, real rooms, the real REST and event-stream API.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomHost } from '../../server/src/match/index.js';
import type { Platform } from '../../server/src/platform.js';
import { ApiClient, ApiError, type MatchEvent } from '../../shared/src/net/api-client.js';
import { PASSWORD } from '../support/accounts.js';
import { manualClock } from '../support/clock.js';
import { decode } from '../support/jwt.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { SAVED_OFFER, startRooms } from '../support/rooms.js';
import { waitFor } from '../support/wait.js';

/** Resolves once the player item holds no busy ticket (the session is idle). */
const idleIn = (name: string) =>
  waitFor(async () => (await stack.readPlayer(name))?.playState === undefined, {
    deadlineMs: 30_000,
    what: `${name} idle in the player item`,
  });

let stack: LocalStack;
let host: RoomHost;
let platform: Platform;
const servers: Server[] = [];
let api: ApiClient;
/** The same platform with a 3 s lease, for the presence stream's renewals. */
let shortLease: ApiClient;

async function serve(p: Platform): Promise<ApiClient> {
  const server = p.app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  platform = stack.platform({}, undefined, host).platform;
  api = await serve(platform);
  shortLease = await serve(stack.platform({ LEASE_SECONDS: '3' }).platform);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await host?.close();
  await stack?.close();
});

/** A saved offer with its own fingerprint and credentials (no peer behind it). */
const offer = () =>
  SAVED_OFFER.replace(
    /a=fingerprint:sha-256 \S+/,
    `a=fingerprint:sha-256 ${[...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
  )
    .replace(/a=ice-ufrag:\S+/, `a=ice-ufrag:${randomBytes(4).toString('hex')}`)
    .replace(/a=ice-pwd:\S+/, `a=ice-pwd:${randomBytes(16).toString('hex')}`);

async function account(prefix: string) {
  const name = uniqueName(prefix);
  await api.signup(name, PASSWORD);
  return name;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiError ? `${e.status} ${e.code}` : String(e)),
  );

async function next(events: AsyncIterator<MatchEvent>): Promise<MatchEvent> {
  const r = await events.next();
  if (r.done) throw new Error('stream ended');
  return r.value;
}

describe('an idle session is taken over by a login', () => {
  it('the new login succeeds; the old access and refresh tokens get 401 session_replaced', async () => {
    const name = await account('idle');
    const old = await api.login(name, PASSWORD);
    await api.me(old.accessToken);
    const fresh = await api.login(name, PASSWORD);
    expect(await refusal(api.me(old.accessToken))).toBe('401 session_replaced');
    expect(await refusal(api.refresh(name, old.refreshToken))).toBe('401 session_replaced');
    expect(await api.me(fresh.accessToken)).toMatchObject({ username: name, active: true });
    // A session that was logged out is over, not replaced.
    await api.logout(fresh.accessToken);
    expect(await refusal(api.me(fresh.accessToken))).toBe('401 unauthorized');
  });

  it('an open presence stream of the old session is told session_replaced', async () => {
    const name = await account('pres');
    const old = await shortLease.login(name, PASSWORD);
    const stream = shortLease.presence(old.accessToken)[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({ type: 'live', username: name });
    await shortLease.login(name, PASSWORD);
    expect((await stream.next()).value).toMatchObject({ type: 'ended', code: 'session_replaced' });
  });

  it('an open presence stream keeps the lease alive with no call from the client', async () => {
    const name = await account('keep');
    const s = await shortLease.login(name, PASSWORD);
    const before = Number((await stack.readPlayer(name))?.leaseExpiresAt);
    const stream = shortLease.presence(s.accessToken)[Symbol.asyncIterator]();
    await stream.next(); // live
    // LEASE_SECONDS=3: renewed about every second by the server while the stream is open;
    // past the first lease's end, the session is still live with no client call.
    await waitFor(
      async () => Number((await stack.readPlayer(name))?.leaseExpiresAt) > before + 3000,
      { what: 'the lease renewed twice past its first end' },
    );
    expect(await stack.readPlayer(name)).toMatchObject({ active: true });
    await stream.return?.(undefined);
  });
});

describe('a busy session is not taken over', () => {
  it('queued: 100 concurrent logins all get 409 already_logged_in; the queued tab is unaffected', async () => {
    const name = await account('busy');
    const s = await api.login(name, PASSWORD);
    const { ticketId } = await api.requestMatch(s.accessToken, offer());
    const events = api.matchEvents(s.accessToken, ticketId)[Symbol.asyncIterator]();
    expect(await next(events)).toMatchObject({ type: 'waiting' });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => refusal(api.login(name, PASSWORD))),
    );
    expect(answers.filter((a) => a === '409 already_logged_in')).toHaveLength(100);
    expect(await api.me(s.accessToken)).toMatchObject({ username: name, active: true });

    // Cancelled, the session is idle again, and a login takes it over.
    await api.cancelMatch(s.accessToken, ticketId);
    expect(await next(events)).toMatchObject({ type: 'cancelled' });
    await idleIn(name);
    await api.login(name, PASSWORD);
    expect(await refusal(api.me(s.accessToken))).toBe('401 session_replaced');
  });

  it('in a match: a login gets 409, and after the match it takes the idle session over', async () => {
    const a = await account('ma');
    const b = await account('mb');
    const sa = await api.login(a, PASSWORD);
    const sb = await api.login(b, PASSWORD);
    const ta = await api.requestMatch(sa.accessToken, offer());
    const tb = await api.requestMatch(sb.accessToken, offer());
    const ea = api.matchEvents(sa.accessToken, ta.ticketId)[Symbol.asyncIterator]();
    const eb = api.matchEvents(sb.accessToken, tb.ticketId)[Symbol.asyncIterator]();
    const settle = async (ev: AsyncIterator<MatchEvent>) => {
      for (;;) {
        const e = await next(ev);
        if (e.type !== 'waiting') return e;
      }
    };
    expect(await settle(ea)).toMatchObject({ type: 'matched', opponent: b });
    expect(await settle(eb)).toMatchObject({ type: 'matched', opponent: a });
    expect(await refusal(api.login(a, PASSWORD))).toBe('409 already_logged_in');
    expect(await api.me(sa.accessToken)).toMatchObject({ username: a });
    // No peer stands behind the offers: the room gives the match up, which frees both players.
    await idleIn(a);
    expect(await refusal(api.login(a, PASSWORD))).toBe('ok');
  });

  it('a ticket queued by a session already taken over is refused, and nothing is queued', async () => {
    const name = await account('late');
    const old = await api.login(name, PASSWORD);
    await api.login(name, PASSWORD);
    expect(await refusal(api.requestMatch(old.accessToken, offer()))).toBe('401 session_replaced');
    expect((await stack.readPlayer(name))?.playState).toBeUndefined();
  });

  it('a lapsed session left busy (its client died mid-match) does not make the next one busy', async () => {
    const clock = manualClock();
    const lapsing = stack.platform({ LEASE_SECONDS: '5' }, clock.now).platform;
    const client = await serve(lapsing);
    const name = await account('dead');
    const dead = await client.login(name, PASSWORD);
    const jti = String(decode(dead.accessToken).payload.jti);
    expect(await lapsing.players.markQueued(name, jti, 'lost-ticket', clock.now())).toBe(true);
    expect(await refusal(client.login(name, PASSWORD))).toBe('409 already_logged_in');
    clock.advance(5001);
    const next = await client.login(name, PASSWORD); // the lease lapsed: a new session
    expect((await stack.readPlayer(name))?.playState).toBeUndefined();
    // ...which is idle, so a further login takes it over.
    await client.login(name, PASSWORD);
    expect(await refusal(client.me(next.accessToken))).toBe('401 session_replaced');
  });
});
