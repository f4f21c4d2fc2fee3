// The waiting room survives a dropped event stream: the server's side of the SSE connection is
// destroyed mid-wait, the client's reader reconnects with Last-Event-ID, the ticket has kept its
// place, and the next player pairs with it normally. Real emulators, rooms and sockets.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomHost } from '../../server/src/match/index.js';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { awaitVerdict } from '../../shared/src/net/ticket-stream.js';
import { PASSWORD } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { SAVED_OFFER, startRooms } from '../support/rooms.js';
import { waitFor } from '../support/wait.js';

let stack: LocalStack;
let host: RoomHost;
let server: Server;
let api: ApiClient;
const sockets = new Set<Socket>();
/** Every Last-Event-ID the server was sent, in order. */
const lastEventIds: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  const { platform } = stack.platform({}, undefined, host);
  server = platform.app.listen(0, '127.0.0.1');
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('request', (req: { headers: Record<string, unknown> }) => {
    const id = req.headers['last-event-id'];
    if (typeof id === 'string') lastEventIds.push(id);
  });
  await new Promise((resolve) => server.once('listening', resolve));
  api = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await host?.close();
  await stack?.close();
});

const offer = () =>
  SAVED_OFFER.replace(
    /a=fingerprint:sha-256 \S+/,
    `a=fingerprint:sha-256 ${[...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
  )
    .replace(/a=ice-ufrag:\S+/, `a=ice-ufrag:${randomBytes(4).toString('hex')}`)
    .replace(/a=ice-pwd:\S+/, `a=ice-pwd:${randomBytes(16).toString('hex')}`);

async function player(prefix: string) {
  const name = uniqueName(prefix);
  await api.signup(name, PASSWORD);
  return { name, token: (await api.login(name, PASSWORD)).accessToken };
}

describe('a dropped ticket stream', () => {
  it('reconnects with Last-Event-ID, keeps the ticket, and pairs normally', async () => {
    const a = await player('a');
    const { ticketId } = await api.requestMatch(a.token, offer());
    let waitings = 0;
    const drops: unknown[] = [];
    const verdict = awaitVerdict(api, ticketId, new AbortController().signal, {
      token: () => a.token,
      onWaiting: () => void waitings++,
      onDrop: (_n, cause) => void drops.push(cause),
      backoffMs: () => 50,
    });
    await waitFor(() => waitings === 1, { what: 'the first waiting event' });
    // The connection dies under the stream (as a Wi-Fi blip or a proxy would do it).
    for (const s of sockets) s.destroy();
    await waitFor(() => waitings === 2, { what: 'waiting again after the reconnect' });
    expect(drops.length).toBeGreaterThanOrEqual(1);
    expect(lastEventIds).toContain('waiting');

    // The ticket kept its place: the next player pairs with it.
    const b = await player('b');
    const tb = await api.requestMatch(b.token, offer());
    const bSide = awaitVerdict(api, tb.ticketId, new AbortController().signal, {
      token: () => b.token,
    });
    const [va, vb] = await Promise.all([verdict, bSide]);
    expect(va).toMatchObject({ type: 'matched', opponent: b.name, answer: expect.any(String) });
    expect(vb).toMatchObject({ type: 'matched', opponent: a.name, matchId: va.matchId });
  });

  it('a ticket cancelled while its stream is open ends the wait with cancelled, not a reconnect', async () => {
    const a = await player('gone');
    const { ticketId } = await api.requestMatch(a.token, offer());
    let waitings = 0;
    const verdict = awaitVerdict(api, ticketId, new AbortController().signal, {
      token: () => a.token,
      onWaiting: () => void waitings++,
    }).catch((e: unknown) => e);
    await waitFor(() => waitings === 1, { what: 'the first waiting event' });
    await api.cancelMatch(a.token, ticketId);
    expect(await verdict).toMatchObject({ code: 'cancelled' });
  });
});
