// Signalling: a player's offer rides on a matchmaking ticket; when two tickets pair, the host
// that runs the match answers both offers, and each ticket's push channel delivers `matched`
// with the opponent's name and the answer.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import {
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
import { isTransportError } from '../transport/errors.js';
import { validateOfferSdp } from '../transport/sdp.js';
import type { MatchEvent } from '../../../shared/src/net/api-client.js';
import type { Slot } from '../../../shared/src/protocol/index.js';

/** Whatever runs matches (the room worker host): answers both offers of a new match. */
export interface MatchHost {
  createMatch(req: {
    matchId: string;
    players: [MatchPlayerRequest, MatchPlayerRequest];
  }): Promise<{ answers: [string, string] }>;
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

interface TicketState {
  ownerId: string;
  username: string;
  last: MatchEvent;
  listeners: Set<Listener>;
}

// A settled ticket's last event stays readable this long, for a client whose stream opens late.
const SETTLED_TTL_MS = 60_000;

export class SignallingService {
  private readonly tickets = new Map<string, TicketState>();

  constructor(
    private readonly d: {
      matchmaker: Matchmaker;
      host: MatchHost;
      logger: Logger;
      now: () => number;
      playState?: PlayState;
    },
  ) {
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
    try {
      validateOfferSdp(offerSdp);
    } catch (e) {
      if (isTransportError(e) && e.code !== 'timeout' && e.code !== 'closed')
        throw new AppError(e.code, e.message);
      throw e;
    }
    const { sessionJti: _jti, ...who } = caller;
    const ticket: Ticket = {
      ticketId: newTicketId(),
      ...who,
      offerSdp,
      enqueuedAt: this.d.now(),
    };
    await this.d.playState?.queued(caller, ticket.ticketId);
    // Registered first: pairing happens inside enqueue, and its events need somewhere to go.
    this.tickets.set(ticket.ticketId, {
      ownerId: caller.userId,
      username: caller.username,
      last: { type: 'waiting', ticketId: ticket.ticketId, waitingSince: ticket.enqueuedAt },
      listeners: new Set(),
    });
    const queued = await this.d.matchmaker.enqueue(ticket);
    if (!queued.ok) {
      this.tickets.delete(ticket.ticketId);
      await this.idle(caller.username, ticket.ticketId);
      throw new AppError('already_queued');
    }
    return { ticketId: ticket.ticketId, status: 'waiting' };
  }

  /** Streams the ticket's events to its owner; undefined for anyone else or an unknown id. */
  subscribe(ticketId: string, userId: string, listener: Listener): (() => void) | undefined {
    const t = this.tickets.get(ticketId);
    if (!t || t.ownerId !== userId) return undefined;
    listener(t.last);
    // A settled ticket has said its last word: nothing more will come to listen for.
    if (t.last.type !== 'waiting') return () => undefined;
    t.listeners.add(listener);
    return () => t.listeners.delete(listener);
  }

  /** Leaves the queue; false if the ticket is not the caller's or is no longer queued. */
  async cancel(ticketId: string, userId: string): Promise<boolean> {
    const t = this.tickets.get(ticketId);
    if (!t || t.ownerId !== userId || !(await this.d.matchmaker.cancel(ticketId, userId)))
      return false;
    this.settle(ticketId, { type: 'cancelled', ticketId });
    return true;
  }

  /** Cancels the player's waiting ticket, if any (admin kick); true when one was cancelled. */
  async cancelWaiting(username: string): Promise<boolean> {
    for (const [ticketId, t] of this.tickets) {
      if (t.username === username && t.last.type === 'waiting')
        return this.cancel(ticketId, t.ownerId);
    }
    return false;
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

  /** Settles every open ticket (server stop). */
  stop(): void {
    for (const [ticketId, t] of this.tickets) {
      if (t.last.type === 'waiting') {
        this.stoppedWaiting.push(t.username);
        this.settle(ticketId, {
          type: 'failed',
          ticketId,
          code: 'server_stopping',
          message: 'The server is stopping.',
        });
      }
    }
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
      this.settle(a.ticketId, {
        type: 'matched',
        ticketId: a.ticketId,
        matchId,
        opponent: b.username,
        answer: answers[0],
      });
      this.settle(b.ticketId, {
        type: 'matched',
        ticketId: b.ticketId,
        matchId,
        opponent: a.username,
        answer: answers[1],
      });
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
    for (const [slot, t] of pair.tickets.entries()) {
      await this.d.matchmaker.release(t.userId);
      if (refused && !refused.includes(slot as Slot)) {
        await this.requeue(t);
        continue;
      }
      const code = refused ? 'invalid_sdp' : 'match_unavailable';
      this.settle(t.ticketId, {
        type: 'failed',
        ticketId: t.ticketId,
        code,
        message: new AppError(code).message,
      });
    }
  }

  // The ticket is still 'waiting' for its owner; only the matchmaker forgot it.
  private async requeue(t: Ticket): Promise<void> {
    const state = this.tickets.get(t.ticketId);
    if (state?.last.type !== 'waiting') return;
    const queued = await this.d.matchmaker.enqueue(t);
    if (!queued.ok) {
      const message = new AppError('match_unavailable').message;
      this.settle(t.ticketId, {
        type: 'failed',
        ticketId: t.ticketId,
        code: 'match_unavailable',
        message,
      });
    }
  }

  private settle(ticketId: string, e: MatchEvent): void {
    const t = this.tickets.get(ticketId);
    if (!t) return;
    if (e.type === 'cancelled' || e.type === 'failed')
      this.idle(t.username, ticketId).catch(() => undefined); // idle() logs its own failure
    t.last = e;
    for (const l of t.listeners) l(e);
    t.listeners.clear();
    setTimeout(() => this.tickets.delete(ticketId), SETTLED_TTL_MS).unref();
  }
}
