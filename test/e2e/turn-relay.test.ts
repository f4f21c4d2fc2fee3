// A match in real Chromium forced onto the TURN relay (`?relay`, honoured on loopback pages
// only) through a real coturn: the selected candidate pair is relay (browser) to host (game
// server), and snapshots arrive. Chromium enforces relay-only ICE itself: it gathers and
// checks no host or server-reflexive candidate, so there is no direct path to fall back on.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turnCredentials } from '../../server/src/turn/credentials.js';
import { buildWebIfNeeded, hasChromium, launchChromium } from '../support/browser.js';
import { requireTurnserver, startCoturn, type Coturn } from '../support/coturn.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { findMatch, inMatch, queue, signUp, type PageGlobal, type Player } from './players.js';

// Keeps every RTCPeerConnection the page makes, so the test can read its stats.
const RECORD_PEERS = `{
  const Native = window.RTCPeerConnection;
  window.__peers = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); window.__peers.push(this); }
  };
}`;

/** The few page APIs the probes use (the tests compile for Node, without DOM types). */
type Stat = Record<string, unknown> & { id: string; type: string };
interface PagePeer extends EventTarget {
  iceGatheringState: string;
  getStats(): Promise<Map<string, Stat>>;
  getConfiguration(): { iceTransportPolicy: string };
  createDataChannel(label: string): unknown;
  createOffer(): Promise<object>;
  setLocalDescription(description: object): Promise<void>;
}
interface RelayPage {
  __peers: PagePeer[];
  RTCPeerConnection: new (config: object) => PagePeer;
}

interface CandidateSeen {
  candidateType: string;
  address: string;
  port: number;
}
interface PairSeen {
  policy: string;
  local: CandidateSeen;
  remote: CandidateSeen;
}

/** The selected candidate pair of the page's newest peer connection, from getStats(). */
function selectedPair(page: Page): Promise<PairSeen> {
  return page.evaluate(async () => {
    const peers = (globalThis as unknown as RelayPage).__peers;
    const pc = peers[peers.length - 1];
    if (!pc) throw new Error('the page made no peer connection');
    const stats = [...(await pc.getStats()).values()];
    const byId = new Map(stats.map((s) => [s.id, s]));
    const transport = stats.find((s) => s.type === 'transport');
    const pair = byId.get(String(transport?.selectedCandidatePairId));
    const pick = (id: unknown) => {
      const c = byId.get(String(id));
      return {
        candidateType: String(c?.candidateType),
        address: String(c?.address),
        port: Number(c?.port),
      };
    };
    return {
      policy: pc.getConfiguration().iceTransportPolicy,
      local: pick(pair?.localCandidateId),
      remote: pick(pair?.remoteCandidateId),
    };
  });
}

describe.skipIf(!hasChromium || !requireTurnserver())('a match in Chromium through TURN', () => {
  let coturn: Coturn;
  let server: ServerProcess;
  let browser: Browser;
  const players: Player[] = [];

  async function openRelayPlayer(name: string): Promise<Player> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript({ content: RECORD_PEERS });
    const page = await context.newPage();
    await page.goto(`${server.url}/?test=1&relay`);
    const p = { name, context, page, close: () => context.close() };
    players.push(p);
    return p;
  }

  beforeAll(async () => {
    buildWebIfNeeded();
    coturn = await startCoturn();
    [server, browser] = await Promise.all([
      startServer({ TURN_URLS: coturn.url, TURN_SECRET: coturn.secret }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await coturn?.stop();
  });

  it('plays relay-only: the selected pair is relay to host, and snapshots arrive', async () => {
    const [a, b] = await Promise.all([
      openRelayPlayer(uniqueName('ra')),
      openRelayPlayer(uniqueName('rb')),
    ]);
    await Promise.all([signUp(a), signUp(b)]);
    await queue(a);
    await findMatch(b);
    await Promise.all([inMatch(a), inMatch(b)]);
    for (const p of [a, b]) {
      await p.page.waitForFunction(
        () => ((globalThis as unknown as PageGlobal).__duel.stats()?.snapshots ?? 0) >= 30,
      );
      const pair = await selectedPair(p.page);
      console.info(`${p.name}: selected candidate pair ${JSON.stringify(pair)}`);
      expect(pair.policy).toBe('relay');
      expect(pair.local.candidateType).toBe('relay');
      expect(pair.local.port).toBeGreaterThanOrEqual(coturn.relayPorts.min);
      expect(pair.local.port).toBeLessThanOrEqual(coturn.relayPorts.max);
      expect(pair.remote).toMatchObject({
        candidateType: 'host',
        port: Number(server.env.RTC_UDP_PORT),
      });
    }
  });

  it.each(['forged', 'expired'] as const)(
    'coturn refuses %s credentials: Chromium gets a 401 and no relay candidate',
    async (kind) => {
      const p = await openRelayPlayer(uniqueName('rc'));
      const secret = kind === 'forged' ? 'not-the-secret-of-this-coturn' : coturn.secret;
      const ttl = kind === 'expired' ? -60 : 600;
      const ice = turnCredentials({ urls: [coturn.url], secret }, p.name, ttl, Date.now());
      const seen = await p.page.evaluate(async (iceServer) => {
        const Pc = (globalThis as unknown as RelayPage).RTCPeerConnection;
        const pc = new Pc({ iceServers: [iceServer], iceTransportPolicy: 'relay' });
        const errors: number[] = [];
        let relays = 0;
        pc.addEventListener('icecandidateerror', (e) =>
          errors.push((e as unknown as { errorCode: number }).errorCode),
        );
        pc.addEventListener('icecandidate', (e) => {
          const c = (e as unknown as { candidate: { type?: string } | null }).candidate;
          if (c?.type === 'relay') relays++;
        });
        const complete = new Promise<void>((resolve) =>
          pc.addEventListener(
            'icegatheringstatechange',
            () => pc.iceGatheringState === 'complete' && resolve(),
          ),
        );
        pc.createDataChannel('probe');
        await pc.setLocalDescription(await pc.createOffer());
        await complete;
        return { errors, relays };
      }, ice);
      expect(seen.relays).toBe(0);
      expect(seen.errors).toContain(401);
    },
  );
});
