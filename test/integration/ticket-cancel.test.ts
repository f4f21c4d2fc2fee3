// Every way a session ends cancels its waiting ticket: logout, admin kick and lease expiry (the
// reaper). The oracle is what the players see on their tickets' push channels: the ended
// session's stream says `cancelled`, and the next player is matched with someone else.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomHost } from '../../server/src/match/index.js';
import type { Platform } from '../../server/src/platform.js';
import { ApiClient, type MatchEvent } from '../../shared/src/net/api-client.js';
import { PASSWORD } from '../support/accounts.js';
import { manualClock } from '../support/clock.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { SAVED_OFFER, startRooms } from '../support/rooms.js';

const LEASE_SECONDS = 30;
const clock = manualClock();
let stack: LocalStack;
let host: RoomHost;
let platform: Platform;
let server: Server;
let api: ApiClient;

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  platform = stack.platform({ LEASE_SECONDS: String(LEASE_SECONDS) }, clock.now, host).platform;
  server = platform.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await host.close();
  await stack.close();
});

async function player(prefix: string, o: { admin?: boolean } = {}) {
  const name = uniqueName(prefix);
  await api.signup(name, PASSWORD);
  if (o.admin) await stack.backends.idp.addToGroup(name, 'admin');
  return { name, token: (await api.login(name, PASSWORD)).accessToken };
}

/**
 * The saved offer with a full-length fingerprint and credentials of its own, so the room host
 * can answer it (no peer stands behind it: the match never connects, which is not the point).
 */
const offer = () =>
  SAVED_OFFER.replace(
    /a=fingerprint:sha-256 \S+/,
    `a=fingerprint:sha-256 ${[...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
  )
    .replace(/a=ice-ufrag:\S+/, `a=ice-ufrag:${randomBytes(4).toString('hex')}`)
    .replace(/a=ice-pwd:\S+/, `a=ice-pwd:${randomBytes(16).toString('hex')}`);

/** Queues; returns the ticket's event stream, past its first event, which must be `waiting`. */
async function queue(p: { token: string }) {
  const { ticketId } = await api.requestMatch(p.token, offer());
  const events = api.matchEvents(p.token, ticketId)[Symbol.asyncIterator]();
  const first = await next(events);
  expect(first.type, JSON.stringify(first)).toBe('waiting');
  return events;
}

async function next(events: AsyncIterator<MatchEvent>): Promise<MatchEvent> {
  const r = await events.next();
  if (r.done) throw new Error('stream ended');
  return r.value;
}

/** B queues after A's session ended: B stays waiting until C comes, and is matched with C. */
async function pairsWithoutA(a: { name: string }) {
  const b = await player('b');
  const bEvents = await queue(b);
  const c = await player('c');
  const { ticketId } = await api.requestMatch(c.token, offer());
  const cEvents = api.matchEvents(c.token, ticketId)[Symbol.asyncIterator]();
  const [bSettled, cSettled] = await Promise.all([settled(bEvents), settled(cEvents)]);
  expect(bSettled).toMatchObject({ type: 'matched', opponent: c.name });
  expect(cSettled).toMatchObject({ type: 'matched', opponent: b.name });
  expect(bSettled).not.toMatchObject({ opponent: a.name });
}

async function settled(events: AsyncIterator<MatchEvent>): Promise<MatchEvent> {
  for (;;) {
    const e = await next(events);
    if (e.type !== 'waiting') return e;
  }
}

describe('a session that ends cancels its waiting ticket', () => {
  it('logout: A queues and logs out; B is never matched with A, and C pairs with B', async () => {
    const a = await player('a');
    const aEvents = await queue(a);
    await api.logout(a.token);
    expect(await next(aEvents)).toMatchObject({ type: 'cancelled' });
    await pairsWithoutA(a);
  });

  it('admin kick: the kicked player’s ticket is cancelled, and the next pair excludes them', async () => {
    const admin = await player('adm', { admin: true });
    const a = await player('a');
    const aEvents = await queue(a);
    const kick = await fetch(`${baseUrl()}/api/admin/players/${a.name}/kick`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(await kick.json()).toMatchObject({ ticketCancelled: true });
    expect(await next(aEvents)).toMatchObject({ type: 'cancelled' });
    await pairsWithoutA(a);
  });

  it('lease expiry seen by a new login before the reaper: the old session’s ticket is cancelled', async () => {
    const a = await player('a');
    const aEvents = await queue(a);
    clock.advance(LEASE_SECONDS * 1000 + 1);
    await api.login(a.name, PASSWORD);
    expect(await next(aEvents)).toMatchObject({ type: 'cancelled' });
    await pairsWithoutA(a);
  });

  it('lease expiry: the reaper ends A’s silent session and cancels A’s ticket', async () => {
    const a = await player('a');
    const aEvents = await queue(a);
    clock.advance(LEASE_SECONDS * 1000 + 1);
    expect(await platform.reaper.runOnce()).toBeGreaterThanOrEqual(1);
    expect(await next(aEvents)).toMatchObject({ type: 'cancelled' });
    expect(await stack.readPlayer(a.name)).toMatchObject({ active: false });
    await pairsWithoutA(a);
  });
});

const baseUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
