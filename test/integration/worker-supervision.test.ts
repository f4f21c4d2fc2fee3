// A room worker that crashes or hangs is replaced: its players are told (or their channels
// close), its matches are recorded, /readyz answers 503 until a fresh worker answers, the
// process never exits, and a new pair plays. The real server, real emulators, real WebRTC.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { decodeControl, type ControlMessage } from '../../shared/src/protocol/index.js';
import { createRtcClient, type Peer } from '../../server/src/transport/index.js';
import { bot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const PASSWORD = 'bot password';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Player {
  matchId: string;
  control: ControlMessage[];
  closed: Promise<string>;
  peer: Peer;
}

/** Signs up, queues and connects; resolves once the server's match_start has arrived. */
async function connectedPlayer(url: string, username: string): Promise<Player> {
  const api = new ApiClient(url);
  await api.signup(username, PASSWORD);
  const { accessToken } = await api.login(username, PASSWORD);
  const rtc = createRtcClient({ logger: silent, timeoutMs: 15_000 });
  const { ticketId } = await api.requestMatch(accessToken, await rtc.offerSdp);
  for await (const e of api.matchEvents(accessToken, ticketId)) {
    if (e.type === 'waiting') continue;
    if (e.type !== 'matched') throw new Error(`ticket ${e.type}`);
    const peer = await rtc.accept(e.answer);
    const control: ControlMessage[] = [];
    peer.onControl((bytes) => {
      const decoded = decodeControl(bytes);
      if (decoded.ok) control.push(decoded.msg);
    });
    const closed = new Promise<string>((resolve) => peer.onClose(resolve));
    await vi.waitFor(() => expect(control.map((m) => m.type)).toContain('match_start'), {
      timeout: 15_000,
      interval: 50,
    });
    return { matchId: e.matchId, control, closed, peer };
  }
  throw new Error('the event stream ended before a match');
}

const readyStatus = async (url: string) => (await fetch(`${url}/readyz`)).status;

async function storedMatch(server: ServerProcess, matchId: string) {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${server.env.LOCAL_DYNAMODB_PORT}`,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const doc = DynamoDBDocumentClient.from(client);
  const got = await doc.send(new GetCommand({ TableName: 'matches', Key: { matchId } }));
  client.destroy();
  return got.Item;
}

let server: ServerProcess | undefined;
let victims: Player[] = [];
afterEach(async () => {
  for (const v of victims) v.peer.close();
  victims = [];
  await server?.stop();
  server = undefined;
});

describe.each([
  ['throw', 'an uncaught exception'],
  ['hang', 'a hang (the watchdog)'],
] as const)('a room worker that fails with %s', (fault, what) => {
  it(`after ${what}: players told, match recorded, readyz 503 then 200, a new pair plays`, async () => {
    // Heartbeats are not what this test is about: the victims need not ping.
    server = await startServer({ ROOM_FAULT_INJECTION: fault, HEARTBEAT_TIMEOUT_MS: '60000' });
    const { url } = server;
    expect(await readyStatus(url)).toBe(200);
    const name = uniqueName('sup');
    victims = await Promise.all([
      connectedPlayer(url, `${name}-a`),
      connectedPlayer(url, `${name}-b`),
    ]);
    const [matchId] = new Set(victims.map((v) => v.matchId));

    server.child.kill('SIGUSR2'); // ROOM_FAULT_INJECTION: the worker fails as asked
    await vi.waitFor(async () => expect(await readyStatus(url)).toBe(503), {
      timeout: 20_000,
      interval: 50,
    });
    // A crashing worker says why before it goes. A hung one cannot: its players' channels
    // close when ICE gives up on the killed process (consent freshness, about 30 s).
    if (fault === 'throw') {
      for (const v of victims) {
        await v.closed;
        expect(v.control.at(-1)).toMatchObject({ type: 'match_end', reason: 'server_error' });
      }
    }
    await vi.waitFor(async () => expect(await readyStatus(url)).toBe(200), {
      timeout: 40_000,
      interval: 100,
    });
    await vi.waitFor(
      async () =>
        expect(await storedMatch(server!, matchId ?? '')).toMatchObject({ reason: 'server_error' }),
      { timeout: 10_000, interval: 100 },
    );

    const next = [bot(url, `${name}-c`, 1, PASSWORD), bot(url, `${name}-d`, 1, PASSWORD)];
    const results = await Promise.all(next.map((b) => b.result));
    // Each played until one of them left first; both received the match's snapshots.
    for (const r of results) {
      expect(['played', 'opponent_left'], JSON.stringify(r)).toContain(r.result);
      expect(r.snapshots).toBeGreaterThan(0);
    }
    expect(server.child.exitCode).toBeNull();
  });
});

describe('players of a hung room worker', () => {
  it('are told the game server went silent, without waiting for ICE to give up', async () => {
    server = await startServer({ ROOM_FAULT_INJECTION: 'hang', HEARTBEAT_TIMEOUT_MS: '60000' });
    const name = uniqueName('hung');
    const players = [bot(server.url, `${name}-a`, 120), bot(server.url, `${name}-b`, 120)];
    await Promise.all(players.map((p) => p.started));

    server.child.kill('SIGUSR2'); // the worker stops answering; nothing reaches the players
    for (const r of await Promise.all(players.map((p) => p.result))) {
      // ICE consent would end the match too, some 30 s later and as `connection closed`.
      expect(r, JSON.stringify(r)).toMatchObject({
        result: 'failed',
        error: 'the game server went silent',
      });
    }
  });
});
