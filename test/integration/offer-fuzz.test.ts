// Hostile offers through the real library: 2,000 mutated real offers straight into RtcServer,
// then a smaller sample through POST /api/match on the real server. Every offer is answered or
// refused with a typed error, nothing escapes as an unhandled rejection or exception, and a
// valid pair still connects after each batch.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRtcClient,
  createRtcServer,
  isTransportError,
  validateOfferSdp,
  type RtcServer,
} from '../../server/src/transport/index.js';
import { ApiClient, type MatchEvent } from '../../shared/src/net/api-client.js';
import { bot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { mutatedOffer } from '../support/offer-mutations.js';
import { freeUdpPort } from '../support/rooms.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const BATCHES = 4;
const RUNS_PER_BATCH = 500;

async function realOffer(): Promise<string> {
  const client = createRtcClient({
    logger: silent,
    timeoutMs: 10_000,
    bindAddress: '127.0.0.1',
    offerCandidates: true,
  });
  const sdp = await client.offerSdp;
  client.close();
  return sdp;
}

/** A real client connects to `rtc` and a control frame crosses the open channels. */
async function validPairConnects(rtc: RtcServer): Promise<void> {
  const client = createRtcClient({ logger: silent, timeoutMs: 15_000, bindAddress: '127.0.0.1' });
  const { answerSdp, peer } = await rtc.answer(await client.offerSdp);
  const opened = new Promise<void>((resolve) => peer.onOpen(resolve));
  const clientPeer = await client.accept(answerSdp);
  await opened;
  const received = new Promise<Uint8Array>((resolve) => peer.onControl(resolve));
  clientPeer.sendControl(new Uint8Array([2, 7, 7]));
  expect([...(await received)]).toEqual([2, 7, 7]);
  clientPeer.close();
  peer.close();
}

/** Pre-check first (to count where each offer stops), then the real answer. */
async function outcomeOf(rtc: RtcServer, sdp: string): Promise<string> {
  try {
    validateOfferSdp(sdp);
  } catch (err) {
    if (!isTransportError(err)) throw err;
    return `pre-check ${err.code}`;
  }
  return rtc.answer(sdp, { timeoutMs: 3_000 }).then(
    ({ peer }) => {
      peer.close();
      return 'answered';
    },
    (err: unknown) => {
      if (!isTransportError(err)) throw err; // only typed refusals are allowed
      return `libdatachannel ${err.code}`;
    },
  );
}

describe('offer fuzz through RtcServer and the real library', () => {
  let rtc: RtcServer;
  let offers: string[];
  const escaped: unknown[] = [];
  const onEscape = (e: unknown) => escaped.push(e);

  beforeAll(async () => {
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    rtc = createRtcServer({
      udpPort: await freeUdpPort(),
      bindAddress: '127.0.0.1',
      logger: silent,
    });
    offers = [await realOffer(), await realOffer(), await realOffer()];
  });
  afterAll(() => {
    rtc.close();
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
  });

  it(`${BATCHES * RUNS_PER_BATCH} mutated offers: each answered or refused with a typed error; a valid pair connects after each batch`, async () => {
    const outcomes = new Map<string, number>();
    for (let batch = 0; batch < BATCHES; batch++) {
      await fc.assert(
        fc.asyncProperty(mutatedOffer(offers), async (sdp) => {
          const outcome = await outcomeOf(rtc, sdp);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }),
        { numRuns: RUNS_PER_BATCH },
      );
      await validPairConnects(rtc);
    }
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    console.info('offers fuzzed through RtcServer:', total, Object.fromEntries(outcomes));
    expect(total).toBe(BATCHES * RUNS_PER_BATCH);
    expect(escaped).toEqual([]);
    expect(outcomes.get('libdatachannel invalid_sdp')).toBeGreaterThan(0); // the native path ran
    expect(rtc.peerCount).toBe(0); // every answered or refused offer's peer is closed
  });

  it('an offer libdatachannel refuses leaves no timer behind (the gathering timeout is cleared)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const refused = (offers[0] ?? '').replace(/a=sctp-port:\S+/, 'a=sctp-port:abc');
    await expect(rtc.answer(refused, { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'invalid_sdp',
    });
    expect(timers()).toBe(before);
  });

  describe('through POST /api/match on the real server', () => {
    const SAMPLE = 150;
    const PASSWORD = 'fuzz password';
    let server: ServerProcess;
    afterAll(() => server?.stop());

    it(`${SAMPLE} mutated offers: 201 or a registry 4xx, never 5xx; a refused offer fails only its ticket`, async () => {
      server = await startServer();
      const api = new ApiClient(server.url);
      const player = async () => {
        const name = uniqueName('fz');
        await api.signup(name, PASSWORD);
        return (await api.login(name, PASSWORD)).accessToken;
      };
      const post = async (token: string, offer: string) => {
        const res = await fetch(`${server.url}/api/match`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ offer }),
        });
        const body = (await res.json()) as { ticketId?: string; error?: { code: string } };
        return { status: res.status, ticketId: body.ticketId, code: body.error?.code };
      };
      const firstSettled = async (token: string, ticketId: string): Promise<MatchEvent> => {
        for await (const e of api.matchEvents(token, ticketId)) if (e.type !== 'waiting') return e;
        throw new Error('the stream ended while waiting');
      };
      const valid = offers[1] ?? '';
      const [a, b] = [await player(), await player()];
      const seen = new Map<string, number>();
      const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
      for (const sdp of fc.sample(mutatedOffer(offers), { numRuns: SAMPLE })) {
        const posted = await post(a, sdp);
        expect(posted.status, JSON.stringify(posted)).toBeLessThan(500);
        if (posted.status !== 201 || !posted.ticketId) {
          count(`${posted.status} ${posted.code ?? ''}`);
          continue;
        }
        if ((await outcomeOf(rtc, sdp)) === 'answered') {
          // libdatachannel takes it: a pair would play; leave the queue instead.
          count('201, answerable');
          await api.cancelMatch(a, posted.ticketId);
          continue;
        }
        // Refused at pairing: only A's ticket fails, and B stays queued.
        const partner = await post(b, valid);
        expect(await firstSettled(a, posted.ticketId)).toMatchObject({ code: 'invalid_sdp' });
        await api.cancelMatch(b, partner.ticketId ?? ''); // 204 only while still queued
        count('201, then failed invalid_sdp at pairing; partner requeued');
      }
      console.info('offers fuzzed through POST /api/match:', SAMPLE, Object.fromEntries(seen));

      const name = uniqueName('fzok');
      const pair = [bot(server.url, `${name}-1`, 1), bot(server.url, `${name}-2`, 1)];
      for (const r of await Promise.all(pair.map((p) => p.result))) {
        expect(['played', 'opponent_left'], JSON.stringify(r)).toContain(r.result);
        expect(r.snapshots).toBeGreaterThan(0);
      }
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^duel_room_worker_failures_total 0$/m);
      expect(server.child.exitCode).toBeNull();
    });
  });
});
