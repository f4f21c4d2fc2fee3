// One headless player: account, queue, WebRTC, play, report.
import type { Logger } from 'pino';
import { ApiError, type ApiClient } from '../../../shared/src/net/api-client.js';
import { createRtcClient, type CandidatePair, type RtcClient } from '../transport/index.js';
import type { Peer } from '../transport/index.js';
import { playMatch, type BotMatchReport, type DropPlan } from './player.js';

export interface BotOptions {
  api: ApiClient;
  username: string;
  password: string;
  signup: boolean;
  seconds: number;
  logger: Logger;
  /**
   * Test switch: connect only through the TURN relay, and fail unless the pair ICE selected
   * has a relay candidate on this side. libdatachannel's relay policy only keeps host
   * candidates out of the offer, so the check after connecting is what makes it strict.
   */
  relayOnly?: boolean;
  /** Local address to gather on (a test can pick one that cannot reach the server directly). */
  bindAddress?: string;
  /** `--drop-after`: drop the connection mid-match, stay away, rejoin. */
  drop?: Omit<DropPlan, 'rejoin'>;
}

export type BotResult = Partial<BotMatchReport> & {
  username: string;
  result: BotMatchReport['result'];
  /** Ticket posted → `matched` received. */
  timeToMatchMs?: number;
  /** `matched` received → both channels open. */
  connectMs?: number;
  /** The ICE candidate pair the connection used (local is this bot's side). */
  candidatePair?: CandidatePair;
  error?: string;
};

const LEASE_RENEW_MS = 15_000;

async function account(o: BotOptions): Promise<string> {
  if (o.signup) {
    await o.api.signup(o.username, o.password).catch((e: unknown) => {
      // A re-run with --signup keeps working with the account the first run made.
      if (!(e instanceof ApiError && e.code === 'username_taken')) throw e;
    });
  }
  return (await o.api.login(o.username, o.password)).accessToken;
}

async function waitForMatch(o: BotOptions, token: string, offer: string) {
  const posted = performance.now();
  const { ticketId } = await o.api.requestMatch(token, offer);
  for await (const e of o.api.matchEvents(token, ticketId)) {
    if (e.type === 'matched')
      return { ...e, timeToMatchMs: performance.now() - posted, matchedAt: performance.now() };
    if (e.type === 'failed' || e.type === 'cancelled')
      throw new Error(`ticket ${e.type}${'code' in e ? `: ${e.code}` : ''}`);
  }
  throw new Error('the event stream ended before a match');
}

/** A peer connection through the ICE servers the platform hands this player (TURN, if any). */
async function rtcClient(o: BotOptions, token: string): Promise<RtcClient> {
  const { iceServers } = await o.api.iceServers(token);
  if (o.relayOnly && iceServers.length === 0)
    throw new Error('relay-only: the server hands out no TURN servers');
  return createRtcClient({
    logger: o.logger,
    timeoutMs: 15_000,
    iceServers,
    iceTransportPolicy: o.relayOnly ? 'relay' : 'all',
    bindAddress: o.bindAddress,
  });
}

/** The pair the connection used; with `relayOnly`, throws unless this side is a relay candidate. */
export function relayedPair(
  rtc: RtcClient,
  relayOnly: boolean | undefined,
): CandidatePair | undefined {
  const pair = rtc.selectedCandidatePair();
  if (relayOnly && pair?.local.type !== 'relay')
    throw new Error(`relay-only: ICE selected a ${pair?.local.type ?? 'unknown'} local candidate`);
  return pair;
}

/** A new connection to the same match, through the rejoin route; open when it resolves. */
async function rejoin(o: BotOptions, token: string, matchId: string): Promise<Peer> {
  const again = await rtcClient(o, token);
  try {
    const { answer } = await o.api.rejoinMatch(token, matchId, await again.offerSdp);
    return await again.accept(answer);
  } catch (e) {
    again.close();
    throw e;
  }
}

export async function runBot(o: BotOptions): Promise<BotResult> {
  let token: string | undefined;
  let rtc: RtcClient | undefined;
  try {
    token = await account(o);
    rtc = await rtcClient(o, token);
    const match = await waitForMatch(o, token, await rtc.offerSdp);
    o.logger.info({ matchId: match.matchId, opponent: match.opponent }, 'matched');
    const peer = await rtc.accept(match.answer);
    const connectMs = performance.now() - match.matchedAt;
    const candidatePair = relayedPair(rtc, o.relayOnly);
    const session = token;
    const renew = setInterval(() => void o.api.me(session).catch(() => undefined), LEASE_RENEW_MS);
    try {
      const drop = o.drop && { ...o.drop, rejoin: () => rejoin(o, session, match.matchId) };
      const report = await playMatch(peer, {
        seconds: o.seconds,
        logger: o.logger,
        ...(drop ? { drop } : {}),
      });
      const timing = { timeToMatchMs: match.timeToMatchMs, connectMs };
      return {
        username: o.username,
        ...report,
        ...timing,
        ...(candidatePair && { candidatePair }),
      };
    } finally {
      clearInterval(renew);
      peer.close();
    }
  } catch (e) {
    o.logger.error({ err: e }, 'bot failed');
    rtc?.close();
    return {
      username: o.username,
      result: 'failed',
      error: e instanceof Error ? e.message : String(e),
    };
  } finally {
    if (token) await o.api.logout(token).catch(() => undefined);
  }
}
