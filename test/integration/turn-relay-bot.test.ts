// Players whose network cannot reach the game server directly play through a real coturn.
// The bots gather on ::1 only, and the game server listens on 127.0.0.1 only: an IPv6 socket
// cannot send to an IPv4 address, so the one way between them is the TURN relay (coturn
// listens on ::1 and relays from 127.0.0.1). A control below shows that path is truly shut.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRtcClient,
  createRtcServer,
  shutdownTransport,
  type IceServerSpec,
  type RtcServer,
} from '../../server/src/transport/index.js';
import { turnCredentials } from '../../server/src/turn/credentials.js';
import { botCli } from '../support/bots.js';
import {
  requireIpv6Loopback,
  requireTurnserver,
  startCoturn,
  type Coturn,
} from '../support/coturn.js';
import { uniqueName } from '../support/local-stack.js';
import { freePort } from '../support/ports.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const logger = pino({ level: 'silent' });
const CLIENT_ADDRESS = '::1';

describe.skipIf(!requireTurnserver())('TURN relay for node-datachannel clients', () => {
  let coturn: Coturn;
  let turnUrl: string;

  beforeAll(async () => {
    await requireIpv6Loopback();
    coturn = await startCoturn();
    turnUrl = `turn:[::1]:${coturn.port}?transport=udp`;
  });
  afterAll(async () => {
    await coturn?.stop();
    shutdownTransport();
  });

  describe('a match between two relay-only bots', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer({ TURN_URLS: turnUrl, TURN_SECRET: coturn.secret });
    });
    afterAll(() => server?.stop());

    it('plays through the relay: the selected pair is relay (bot) to host (server)', async () => {
      const { code, results, stderr } = await botCli([
        ...['--url', server.url, '--username', uniqueName('relay'), '--password', 'bot password'],
        ...['--signup', '--count', '2', '--seconds', '3', '--json'],
        ...['--relay-only', '--bind-address', CLIENT_ADDRESS],
      ]);
      expect(code, stderr).toBe(0);
      for (const r of results) {
        console.info(`${r.username}: selected candidate pair ${JSON.stringify(r.candidatePair)}`);
        expect(['played', 'opponent_left']).toContain(r.result);
        expect(r.snapshots).toBeGreaterThan(0);
        // The local end is an address coturn allocated in its relay range, not the bot's socket.
        expect(r.candidatePair?.local).toMatchObject({ type: 'relay', address: '127.0.0.1' });
        expect(r.candidatePair?.local.port).toBeGreaterThanOrEqual(coturn.relayPorts.min);
        expect(r.candidatePair?.local.port).toBeLessThanOrEqual(coturn.relayPorts.max);
        expect(r.candidatePair?.remote).toMatchObject({
          type: 'host',
          address: '127.0.0.1',
          port: Number(server.env.RTC_UDP_PORT),
        });
      }
    });
  });

  describe('credentials', () => {
    let rtcServer: RtcServer;
    beforeAll(async () => {
      rtcServer = createRtcServer({ udpPort: await freePort(), bindAddress: '127.0.0.1', logger });
    });
    afterAll(() => rtcServer?.close());

    const servers = (kind: 'valid' | 'forged' | 'expired'): IceServerSpec[] => {
      const secret = kind === 'forged' ? 'not-the-secret-of-this-coturn' : coturn.secret;
      const ttl = kind === 'expired' ? -60 : 600;
      return [turnCredentials({ urls: [turnUrl], secret }, uniqueName(kind), ttl, Date.now())];
    };

    /** Gathers a relay-only offer on ::1 and tries to connect; reports what the client saw. */
    async function attempt(iceServers: IceServerSpec[]) {
      const rtc = createRtcClient({
        logger,
        timeoutMs: 5_000,
        bindAddress: CLIENT_ADDRESS,
        iceServers,
        iceTransportPolicy: 'relay',
        offerCandidates: true,
      });
      const offer = await rtc.offerSdp;
      const relayCandidates = offer.split(/\r?\n/).filter((l) => / typ relay/.test(l)).length;
      const { answerSdp, peer } = await rtcServer.answer(offer);
      const connected = await rtc.accept(answerSdp).then(
        (p) => (p.close(), true),
        () => false,
      );
      peer.close();
      return { relayCandidates, connected };
    }

    it('coturn refuses forged and expired credentials: no relay is allocated, no connection', async () => {
      const [valid, forged, expired] = await Promise.all(
        (['valid', 'forged', 'expired'] as const).map((k) => attempt(servers(k))),
      );
      expect(valid).toEqual({ relayCandidates: 1, connected: true });
      expect(forged).toEqual({ relayCandidates: 0, connected: false });
      expect(expired).toEqual({ relayCandidates: 0, connected: false });
    });

    it('control: without TURN, a client on ::1 cannot reach the server on 127.0.0.1', async () => {
      expect(await attempt([])).toEqual({ relayCandidates: 0, connected: false });
    });
  });
});
