// Queue → matched → connected (docs/api.md, "Matchmaking and signalling"): the offer rides on
// POST /api/match, the server's answer comes back on the ticket's event stream, and the match
// is ours once both data channels are open.
import {
  api,
  ApiError,
  authed,
  isCode,
  rememberedTicket,
  rememberTicket,
  type Session,
} from '../api.js';
import { awaitVerdict } from '../../../shared/src/net/ticket-stream.js';
import { logFailure } from '../log.js';
import { rtcConfiguration } from './ice.js';
import { channelsOpen, createLink, gatheredOffer, type Link } from './peer.js';

export interface Matched {
  link: Link;
  matchId: string;
  opponent: string;
}

export interface QueueEvents {
  /** The ticket exists (Cancel may now DELETE it). */
  onTicket(ticketId: string): void;
  /** The server confirmed the ticket is queued (its event stream is open). */
  onWaiting(): void;
}

const OPEN_TIMEOUT_MS = 10_000;
// Right after a match the server may take a moment to free the player: try a few times.
const QUEUE_ATTEMPTS = 4;
const QUEUE_RETRY_MS = 400;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), {
      once: true,
    });
  });
}

/** POST /api/match; a 409 first cancels the ticket this tab left behind (e.g. a reload). */
async function queue(s: Session, offer: string, signal: AbortSignal): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const ticket = await authed(s, (t) => api.requestMatch(t, offer));
      return ticket.ticketId;
    } catch (e) {
      if (!isCode(e, 'already_queued') || attempt >= QUEUE_ATTEMPTS) throw e;
      const stale = rememberedTicket();
      if (stale) {
        rememberTicket(null);
        await api
          .cancelMatch(s.accessToken, stale)
          .catch(logFailure('cancelling the ticket left behind'));
      } else {
        await pause(QUEUE_RETRY_MS, signal);
      }
    }
  }
}

/**
 * Reads the ticket's stream until `matched`; other endings throw as ApiError codes. A stream
 * that drops is reopened with Last-Event-ID: the ticket keeps its place meanwhile.
 */
const awaitAnswer = (s: Session, ticketId: string, signal: AbortSignal, on: QueueEvents) =>
  awaitVerdict(api, ticketId, signal, {
    token: () => s.accessToken,
    onWaiting: () => on.onWaiting(),
    onDrop: (attempt, cause) => logFailure(`the ticket's stream dropped (${attempt})`)(cause),
  });

/** Takes the server's answer and waits for both data channels to open. */
async function connect(link: Link, answer: string, signal: AbortSignal): Promise<void> {
  await link.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  await channelsOpen(link, signal, OPEN_TIMEOUT_MS).catch((e: unknown) => {
    if (signal.aborted) throw e;
    throw new ApiError(0, 'connect_failed', `The data channels did not open (${String(e)}).`);
  });
}

/** Finds an opponent and connects to the game server; aborting gives up at any step. */
export async function findMatch(
  s: Session,
  signal: AbortSignal,
  on: QueueEvents,
): Promise<Matched> {
  const link = createLink(await rtcConfiguration(s));
  try {
    const offer = await gatheredOffer(link.pc, signal);
    const ticketId = await queue(s, offer, signal);
    rememberTicket(ticketId);
    on.onTicket(ticketId);
    const matched = await awaitAnswer(s, ticketId, signal, on);
    rememberTicket(null);
    await connect(link, matched.answer, signal);
    return { link, matchId: matched.matchId, opponent: matched.opponent };
  } catch (e) {
    link.close();
    throw e;
  }
}

// A network that is still coming back (unreachable, or the channels not opening yet) is tried
// again each second for about as long as the server holds a seat (RECONNECT_GRACE_MS, 10 s).
const REJOIN_FOR_MS = 12_000;
const REJOIN_RETRY_MS = 1_000;
const TRANSIENT = ['unreachable', 'connect_failed', 'match_unavailable', 'service_unavailable'];

/**
 * A new link to a match this player is seated in (a reload, or a link that dropped): a fresh
 * offer goes to POST /api/match/:matchId/rejoin, and the seat is ours again once both data
 * channels are open. A 404 `not_found` means the seat is gone (the grace window passed, or
 * the match is over); a network still down is tried again while the seat may still wait.
 */
export async function rejoinMatch(s: Session, matchId: string, signal: AbortSignal): Promise<Link> {
  const until = performance.now() + REJOIN_FOR_MS;
  for (;;) {
    try {
      return await rejoinOnce(s, matchId, signal);
    } catch (e) {
      const transient = TRANSIENT.some((code) => isCode(e, code));
      if (signal.aborted || !transient || performance.now() + REJOIN_RETRY_MS > until) throw e;
      await pause(REJOIN_RETRY_MS, signal);
    }
  }
}

async function rejoinOnce(s: Session, matchId: string, signal: AbortSignal): Promise<Link> {
  const link = createLink(await rtcConfiguration(s));
  try {
    const offer = await gatheredOffer(link.pc, signal);
    const { answer } = await authed(s, (t) => api.rejoinMatch(t, matchId, offer));
    await connect(link, answer, signal);
    return link;
  } catch (e) {
    link.close();
    throw e;
  }
}
