// A real client peer and a real server peer over loopback, through the transport module.
import { createSocket } from 'node:dgram';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRtcClient,
  createRtcServer,
  MAX_SDP_BYTES,
  shutdownTransport,
  TransportError,
  type Peer,
  type RtcServer,
} from '../../server/src/transport/index.js';

const logger = pino({ level: 'warn' });

/** A UDP port that was free a moment ago (the OS picks it). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * libdatachannel's offerer failed on checks that came before the answer (see the test): its
 * agent was gone when the answer went in, or it failed just after.
 */
const offererRace = (err: unknown) =>
  err instanceof TransportError &&
  ((err.code === 'invalid_sdp' &&
    String(err.cause).includes('remote candidate without ICE transport')) ||
    (err.code === 'closed' && err.message.includes('connection_failed')));

/** Resolves with the next `count` frames a receiver sees. */
function nextFrames(
  subscribe: (cb: (d: Uint8Array) => void) => void,
  count: number,
): Promise<Uint8Array[]> {
  return new Promise((resolve) => {
    const got: Uint8Array[] = [];
    subscribe((d) => {
      got.push(Uint8Array.from(d));
      if (got.length === count) resolve(got);
    });
  });
}

async function connectPair(server: RtcServer): Promise<{ client: Peer; server: Peer }> {
  const rtc = createRtcClient({ logger, timeoutMs: 5_000, bindAddress: '127.0.0.1' });
  const { answerSdp, peer } = await server.answer(await rtc.offerSdp);
  const serverOpen = new Promise<void>((resolve) => peer.onOpen(resolve));
  const client = await rtc.accept(answerSdp);
  await serverOpen;
  return { client, server: peer };
}

function sdpErrorCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (err: unknown) => (err instanceof TransportError ? err.code : `other: ${String(err)}`),
  );
}

describe('realtime transport over loopback', () => {
  let server: RtcServer;
  let udpPort: number;

  beforeAll(async () => {
    udpPort = await freeUdpPort();
    server = createRtcServer({ udpPort, bindAddress: '127.0.0.1', logger });
  });
  afterAll(() => {
    server.close();
    shutdownTransport();
  });

  it('answers on the one mux port and opens both channels', async () => {
    const rtc = createRtcClient({ logger, timeoutMs: 5_000, bindAddress: '127.0.0.1' });
    const { answerSdp, peer } = await server.answer(await rtc.offerSdp);
    expect(answerSdp).toMatch(
      new RegExp(`a=candidate:\\S+ 1 UDP \\d+ 127\\.0\\.0\\.1 ${udpPort} typ host`),
    );
    const serverOpen = new Promise<void>((resolve) => peer.onOpen(resolve));
    const client = await rtc.accept(answerSdp);
    await serverOpen;
    expect(client.isOpen && peer.isOpen).toBe(true);
    client.close();
  });

  it('opens too when the offer carries its candidates, as a browser offer does', async () => {
    // The offering client here is libdatachannel, a browser's stand-in. With candidates in
    // its offer, the server's connectivity checks can reach it before the answer does, and
    // libdatachannel's agent sometimes fails on them: its setRemoteDescription then throws
    // "Got a remote candidate without ICE transport", or the connection fails just after (once
    // in nine fresh-clone suites; a few times in a hundred runs of this test with more native
    // callbacks on the client). The server's side is this test's subject, so each attempt is
    // a new offer the server must answer, and only that refusal by the client is tried again.
    for (let attempt = 1; ; attempt++) {
      const rtc = createRtcClient({
        logger,
        timeoutMs: 5_000,
        bindAddress: '127.0.0.1',
        offerCandidates: true,
      });
      const offer = await rtc.offerSdp;
      expect(offer).toMatch(/a=candidate:/);
      const { answerSdp, peer } = await server.answer(offer);
      const serverOpen = new Promise<void>((resolve) => peer.onOpen(resolve));
      const client = await rtc.accept(answerSdp).catch((err: unknown) => {
        if (attempt < 5 && offererRace(err)) return undefined;
        throw err;
      });
      if (!client) {
        peer.close();
        continue;
      }
      await serverOpen;
      client.close();
      return;
    }
  });

  it('says the server cannot take part, not that the offer is bad, when its UDP port is taken', async () => {
    // Held from the start: the OS picks the port as the holder binds it.
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    const { port } = holder.address();
    const busy = createRtcServer({ udpPort: port, bindAddress: '127.0.0.1', logger });
    const rtc = createRtcClient({ logger, timeoutMs: 5_000, bindAddress: '127.0.0.1' });
    try {
      await expect(busy.answer(await rtc.offerSdp)).rejects.toMatchObject({
        name: 'TransportError',
        code: 'unavailable',
      });
      expect(busy.peerCount).toBe(0);
    } finally {
      rtc.close();
      busy.close();
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('announces publicIp in the answer instead of the local address', async () => {
    const natServer = createRtcServer({
      udpPort,
      bindAddress: '127.0.0.1',
      publicIp: '203.0.113.9',
      logger,
    });
    const rtc = createRtcClient({ logger, timeoutMs: 5_000, bindAddress: '127.0.0.1' });
    const { answerSdp } = await natServer.answer(await rtc.offerSdp);
    expect(answerSdp).toContain(`203.0.113.9 ${udpPort} typ host`);
    expect(answerSdp).not.toMatch(/127\.0\.0\.1 \d+ typ host/);
    rtc.close();
    natServer.close();
  });

  it('carries frames both ways on both channels', async () => {
    const pair = await connectPair(server);
    const toServer = nextFrames((cb) => pair.server.onControl(cb), 1);
    const toClient = nextFrames((cb) => pair.client.onControl(cb), 1);
    const stateToServer = nextFrames((cb) => pair.server.onState(cb), 1);
    const stateToClient = nextFrames((cb) => pair.client.onState(cb), 1);
    expect(pair.client.sendControl(new Uint8Array([1, 2, 3]))).toBe(true);
    expect(pair.server.sendControl(new Uint8Array([4, 5]))).toBe(true);
    expect(pair.client.sendState(new Uint8Array([6]))).toBe(true);
    expect(pair.server.sendState(new Uint8Array([7, 8]))).toBe(true);
    expect(await toServer).toEqual([new Uint8Array([1, 2, 3])]);
    expect(await toClient).toEqual([new Uint8Array([4, 5])]);
    expect(await stateToServer).toEqual([new Uint8Array([6])]);
    expect(await stateToClient).toEqual([new Uint8Array([7, 8])]);
    pair.client.close();
  });

  it('keeps control reliable and ordered through a burst', async () => {
    // The API exposes no reliability getters; order and completeness under a burst of
    // 1,000 frames is what the reliable, ordered `control` channel must show.
    const pair = await connectPair(server);
    const count = 1_000;
    const received = nextFrames((cb) => pair.server.onControl(cb), count);
    for (let i = 0; i < count; i++) {
      const frame = new Uint8Array(200);
      new DataView(frame.buffer).setUint32(0, i, true);
      expect(pair.client.sendControl(frame)).toBe(true);
    }
    const order = (await received).map((f) => new DataView(f.buffer).getUint32(0, true));
    expect(order).toEqual([...Array(count).keys()]);
    pair.client.close();
  });

  it('propagates a close from the client to the server peer', async () => {
    const pair = await connectPair(server);
    const reason = new Promise<string>((resolve) => pair.server.onClose(resolve));
    pair.client.close();
    expect(await reason).toMatch(/closed/);
    expect(pair.server.sendControl(new Uint8Array([1]))).toBe(false);
  });

  it('propagates a close from the server to the client peer', async () => {
    const pair = await connectPair(server);
    const reason = new Promise<string>((resolve) => pair.client.onClose(resolve));
    pair.server.close();
    expect(await reason).toMatch(/closed/);
  });

  it('refuses oversized, crowded and garbage offers before native code', async () => {
    const before = server.peerCount;
    const rtc = createRtcClient({ logger, timeoutMs: 5_000, bindAddress: '127.0.0.1' });
    const offer = await rtc.offerSdp;
    rtc.close();
    const candidate = 'a=candidate:1 1 UDP 2114977791 127.0.0.1 9 typ host\r\n';
    expect(await sdpErrorCode(server.answer(offer + 'a=x:' + 'y'.repeat(MAX_SDP_BYTES)))).toBe(
      'sdp_too_large',
    );
    expect(await sdpErrorCode(server.answer(offer + candidate.repeat(21)))).toBe(
      'too_many_candidates',
    );
    expect(await sdpErrorCode(server.answer('garbage'))).toBe('invalid_sdp');
    expect(await sdpErrorCode(server.answer(offer.replace(/a=ice-ufrag:.*\r\n/, '')))).toBe(
      'invalid_sdp',
    );
    expect(server.peerCount).toBe(before);
  });

  it('serves many peers on one port (RSS per peer, informal)', async () => {
    const pairs = 20;
    const rssBefore = process.memoryUsage().rss;
    const opened = [];
    for (let i = 0; i < pairs; i++) opened.push(await connectPair(server));
    const rssAfter = process.memoryUsage().rss;
    const perPeer = (rssAfter - rssBefore) / (2 * pairs);
    console.log(
      `RSS per peer (client+server pairs, ${pairs} pairs): ${(perPeer / 1024).toFixed(0)} KiB`,
    );
    const closing = opened.map(
      (pair) => new Promise<string>((resolve) => pair.server.onClose(resolve)),
    );
    for (const pair of opened) pair.client.close();
    await Promise.all(closing);
    expect(server.peerCount).toBe(0);
  });
});
