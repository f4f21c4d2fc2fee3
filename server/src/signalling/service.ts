// Signalling: a player's offer rides on a matchmaking ticket; when two tickets pair, the host
// that runs the match answers both offers, and each ticket's push channel delivers `matched`
// with the opponent's name and the answer.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import {
  MatchmakingUnavailableError,
  newTicketId,
  type Matchmaker,
  type MatchedPair,
  type Ticket,
} from '../matchmaking/matchmaker.js';
import {
  isRoomError,
  type MatchEndedEvent,
  type MatchPlayerRequest,
} from '../match/worker-protocol.js';
import { isOfferRefusal } from '../transport/errors.js';
import { validateOfferSdp } from '../transport/sdp.js';
import type { MatchEvent } from '../../../shared/src/net/api-client.js';
import type { Slot } from '../../../shared/src/protocol/index.js';
import { MemoryTicketStore, type TicketStore } from './ticket-store.js';

/** Whatever runs matches (the room worker host): answers both offers of a new match. */
export interface MatchHost {
  createMatch(req: {
    matchId: string;
    players: [MatchPlayerRequest, MatchPlayerRequest];
  }): Promise<{ answers: [string, string] }>;
  /**
   * Answers the new offer of a player whose seat in `matchId` waits for them (they dropped);
   * RoomError `no_seat` when none does.
   */
  rejoinMatch(req: { matchId: string; userId: string; offerSdp: string }): Promise<{
    answer: string;
  }>;
}

export interface Caller {
  userId: string;
  username: string;
  /** The access token's jti: a ticket is queued only while it is the live session's. */
  sessionJti?: string;
}

/**
 * Records whether a player's session is busy (queued or in a match) where every node sees it:
 * a login takes over only an idle session (wired in realtime.ts; players/play-state.ts).
 */
export interface PlayState {
  /** Before queueing: the ticket makes the session busy. Throws when the session has ended. */
  queued(caller: Caller, ticketId: string): Promise<void>;
  /** The ticket, or without one the player's match, no longer keeps the session busy. */
  idle(username: string, ticketId?: string): Promise<void>;
}

type Listener = (e: MatchEvent) => void;

/** Redis (the matchmaker or the ticket store) is out of reach: 503, retry in a moment. */
function unavailable(err: unknown): AppError {
  return new AppError('matchmaking_unavailable', undefined, { cause: err, retryAfterSec: 2 });
}

/** Runs `f`; a MatchmakingUnavailableError becomes the client's 503. */
async function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof MatchmakingUnavailableError) throw unavailable(err);
    throw err;
  }
}

/** The SDP pre-check: a refused offer is the client's 400 (invalid_sdp, sdp_too_large, …). */
function checkOffer(offerSdp: unknown): asserts offerSdp is string {
  try {
    validateOfferSdp(offerSdp);
  } catch (e) {
    if (isOfferRefusal(e)) throw new AppError(e.code, e.message);
    throw e;
  }
}

export class SignallingService {
  private readonly tickets: TicketStore;

  constructor(
    private readonly d: {
      matchmaker: Matchmaker;
      host: MatchHost;
      logger: Logger;
      now: () => number;
      /** Where tickets live; in this process's memory unless given (Redis for many nodes). */
      tickets?: TicketStore;
      /** Queued and in-match sessions are busy where every node sees it (takeover rule). */
      playState?: PlayState;
    },
  ) {
    this.tickets = d.tickets ?? new MemoryTicketStore();
    d.matchmaker.onMatched((pair) => {
      this.startMatch(pair).catch((err: unknown) =>
        d.logger.error({ err }, 'could not start a match'),
      );
    });
  }

  /** Queues the caller with their offer; 409 already_queued if they have a live ticket or match. */
  async request(
    caller: Caller,
    offerSdp: unknown,
  ): Promise<{ ticketId: string; status: 'waiting' }> {
    checkOffer(offerSdp);
    const { sessionJti: _jti, ...who } = caller;
    const ticket: Ticket = {
      ticketId: newTicketId(),
      ...who,
      offerSdp,
      enqueuedAt: this.d.now(),
    };
    await this.d.playState?.queued(caller, ticket.ticketId);
    return guarded(async () => {
      // Recorded first: pairing happens inside enqueue, and its events need somewhere to go.
      await this.tickets.create(ticket.ticketId, {
        ownerId: caller.userId,
        username: caller.username,
        last: { type: 'waiting', ticketId: ticket.ticketId, waitingSince: ticket.enqueuedAt },
      });
      let queued;
      try {
        queued = await this.d.matchmaker.enqueue(ticket);
      } catch (err) {
        await this.tickets.remove(ticket.ticketId).catch(() => undefined);
        await this.idle(caller.username, ticket.ticketId);
        throw err;
      }
      if (!queued.ok) {
        await this.tickets.remove(ticket.ticketId);
        await this.idle(caller.username, ticket.ticketId);
        throw new AppError('already_queued');
      }
      return { ticketId: ticket.ticketId, status: 'waiting' as const };
    });
  }

  /**
   * Streams the ticket's events to its owner, wherever the ticket was queued or settles:
   * first its last event, then the settling one. Undefined for anyone else or an unknown id.
   */
  async subscribe(
    ticketId: string,
    userId: string,
    listener: Listener,
  ): Promise<(() => void) | undefined> {
    // Listening starts before the read, so a ticket settled in between is not missed; what
    // arrives before the owner check is held back, and only one final event is ever told.
    let checked = false;
    let held: MatchEvent | undefined;
    let final = false;
    const tell = (e: MatchEvent) => {
      if (final) return;
      final = e.type !== 'waiting';
      listener(e);
    };
    const off = this.tickets.listen(ticketId, (e) => (checked ? tell(e) : (held ??= e)));
    let t;
    try {
      t = await guarded(() => this.tickets.get(ticketId));
    } catch (err) {
      off();
      throw err;
    }
    if (!t || t.ownerId !== userId) {
      off();
      return undefined;
    }
    checked = true;
    tell(t.last);
    if (held) tell(held);
    if (final) off();
    return off;
  }

  /**
   * Back into a live match after a drop, within RECONNECT_GRACE_MS: the new offer is answered
   * by the process that hosts the match. 404 for anyone but the seat's own player, for a match
   * that is over, and past the grace (one answer, so matches cannot be probed).
   */
  async rejoin(caller: Caller, matchId: string, offerSdp: unknown): Promise<{ answer: string }> {
    checkOffer(offerSdp);
    try {
      return await this.d.host.rejoinMatch({ matchId, userId: caller.userId, offerSdp });
    } catch (err) {
      if (isRoomError(err) && err.code === 'no_seat')
        throw new AppError('not_found', 'No seat of yours waits in that match.');
      if (isRoomError(err) && err.code === 'bad_offer')
        throw new AppError('invalid_sdp', undefined, { cause: err });
      this.d.logger.warn({ err, matchId }, 'rejoin failed');
      throw new AppError('match_unavailable', undefined, { cause: err });
    }
  }

  /** Leaves the queue; false if the ticket is not the caller's or is no longer queued. */
  cancel(ticketId: string, userId: string): Promise<boolean> {
    return guarded(async () => {
      const t = await this.tickets.get(ticketId);
      if (!t || t.ownerId !== userId || !(await this.d.matchmaker.cancel(ticketId, userId)))
        return false;
      await this.settle(ticketId, { type: 'cancelled', ticketId });
      return true;
    });
  }

  /** Cancels the player's waiting ticket, on any node (logout, kick, reaper); true when one was. */
  async cancelWaiting(username: string): Promise<boolean> {
    const t = await guarded(() => this.tickets.waitingOf(username));
    return t ? this.cancel(t.ticketId, t.ownerId) : false;
  }

  /** Tickets waiting for an opponent (metrics). */
  queueLength(): Promise<number> {
    return this.d.matchmaker.queueLength();
  }

  /** Calls `listener` for every pair made, e.g. to measure time to match; returns an unsubscribe. */
  onMatched(listener: (pair: MatchedPair) => void): () => void {
    return this.d.matchmaker.onMatched(listener);
  }

  /** Usernames whose waiting tickets stop() ended. */
  readonly stoppedWaiting: string[] = [];

  /** Settles every ticket queued through this node (server stop), and leaves the queue. */
  async stop(): Promise<void> {
    await Promise.all(
      this.tickets.waitingHere().map(async (t) => {
        this.stoppedWaiting.push(t.username);
        try {
          await this.d.matchmaker.cancel(t.ticketId, t.ownerId);
          await this.settle(t.ticketId, {
            type: 'failed',
            ticketId: t.ticketId,
            code: 'server_stopping',
            message: 'The server is stopping.',
          });
        } catch (err) {
          this.d.logger.warn({ err, ticketId: t.ticketId }, 'could not settle a waiting ticket');
        }
      }),
    );
  }

  /** Lets go of the matchmaker's and the ticket store's connections. */
  async close(): Promise<void> {
    await Promise.all([this.d.matchmaker.close(), this.tickets.close()]);
  }

  /** A match is over: its players may queue again. */
  async matchEnded(end: Pick<MatchEndedEvent, 'players'>): Promise<void> {
    // Idle first: released, the player may queue again, and that ticket must stay recorded.
    await Promise.all(end.players.map((p) => this.idle(p.username)));
    await Promise.all(end.players.map((p) => this.d.matchmaker.release(p.userId)));
  }

  /** Never rejects: a failure is logged (the lease still bounds a session left busy). */
  private idle(username: string, ticketId?: string): Promise<void> {
    return (this.d.playState?.idle(username, ticketId) ?? Promise.resolve()).catch((err: unknown) =>
      this.d.logger.warn({ err, username }, 'play state: not marked idle'),
    );
  }

  private async startMatch(pair: MatchedPair): Promise<void> {
    const [a, b] = pair.tickets;
    const matchId = randomUUID();
    try {
      const { answers } = await this.d.host.createMatch({
        matchId,
        players: [
          { userId: a.userId, username: a.username, offerSdp: a.offerSdp },
          { userId: b.userId, username: b.username, offerSdp: b.offerSdp },
        ],
      });
      // Both at once: each is its own ticket's one final event (a failure of either lands in
      // matchFailed, whose settles are refused for a ticket already told `matched`).
      await Promise.all([
        this.settle(a.ticketId, {
          type: 'matched',
          ticketId: a.ticketId,
          matchId,
          opponent: b.username,
          answer: answers[0],
        }),
        this.settle(b.ticketId, {
          type: 'matched',
          ticketId: b.ticketId,
          matchId,
          opponent: a.username,
          answer: answers[1],
        }),
      ]);
    } catch (err) {
      await this.matchFailed(pair, matchId, err);
    }
  }

  /**
   * A refused offer fails only its own ticket (invalid_sdp); the partner goes back to the
   * queue with its place kept. Any other failure is the server's: both tickets fail.
   */
  private async matchFailed(pair: MatchedPair, matchId: string, err: unknown): Promise<void> {
    const refused = isRoomError(err) && err.code === 'bad_offer' ? err.badSlots : undefined;
    if (refused) this.d.logger.info({ matchId, refused }, 'an offer was refused at pairing');
    else this.d.logger.error({ err, matchId }, 'could not start a match');
    const keeps = (slot: number) => refused !== undefined && !refused.includes(slot as Slot);
    const seats = [...pair.tickets.entries()];
    for (const [, t] of seats) await this.d.matchmaker.release(t.userId);
    // The partners go back to the queue first, so they are queued again by the time the owner
    // of a refused offer hears of it.
    for (const [slot, t] of seats) if (keeps(slot)) await this.requeue(t);
    for (const [slot, t] of seats) {
      if (keeps(slot)) continue;
      const code = refused ? 'invalid_sdp' : 'match_unavailable';
      await this.settle(t.ticketId, {
        type: 'failed',
        ticketId: t.ticketId,
        code,
        message: new AppError(code).message,
      });
    }
  }

  // The ticket is still 'waiting' for its owner; only the matchmaker forgot it.
  private async requeue(t: Ticket): Promise<void> {
    const state = await this.tickets.get(t.ticketId);
    if (state?.last.type !== 'waiting') return;
    const queued = await this.d.matchmaker.enqueue(t);
    if (!queued.ok) {
      const message = new AppError('match_unavailable').message;
      await this.settle(t.ticketId, {
        type: 'failed',
        ticketId: t.ticketId,
        code: 'match_unavailable',
        message,
      });
    }
  }

  private async settle(ticketId: string, e: MatchEvent): Promise<void> {
    // A ticket that ends without a match no longer keeps its session busy.
    const ending = e.type === 'cancelled' || e.type === 'failed';
    const owner = ending ? await this.tickets.get(ticketId) : undefined;
    const settled = await this.tickets.settle(ticketId, e);
    if (settled && owner) await this.idle(owner.username, ticketId);
  }
}
