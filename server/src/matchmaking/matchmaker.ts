// The matchmaking contract. The in-memory implementation serves one node without Redis; the
// Redis one (redis.ts) serves many nodes behind the same interface, hence the Promises. One
// contract suite (contract.ts) runs against both.
import { randomUUID } from 'node:crypto';

export interface Ticket {
  /** Unguessable id (newTicketId()); the owner uses it to poll or cancel. */
  readonly ticketId: string;
  readonly userId: string;
  readonly username: string;
  /** The client's non-trickle WebRTC offer, answered once a pair is made. */
  readonly offerSdp: string;
  /** Clock value (ms) when the ticket was queued; time to match = matchedAt − enqueuedAt. */
  readonly enqueuedAt: number;
}

export interface MatchedPair {
  /** First-queued ticket first. */
  readonly tickets: readonly [Ticket, Ticket];
  /** Clock value (ms) when the pair was made. */
  readonly matchedAt: number;
}

export type TicketStatus =
  | { readonly state: 'queued'; readonly ticket: Ticket }
  | { readonly state: 'matched'; readonly ticket: Ticket; readonly pair: MatchedPair };

export type EnqueueResult =
  | { readonly ok: true }
  /** The user already has a live ticket: queued, or matched and not yet released. */
  | { readonly ok: false; readonly error: 'already_queued' }
  /** A ticket with this id exists (ids must be fresh). */
  | { readonly ok: false; readonly error: 'duplicate_ticket' };

export interface Matchmaker {
  /** Queues a ticket. Pairs are made (and onMatched fires) before the promise settles. */
  enqueue(ticket: Ticket): Promise<EnqueueResult>;
  /** Removes a queued ticket if `userId` owns it; false if not found, not owned or matched. */
  cancel(ticketId: string, userId: string): Promise<boolean>;
  get(ticketId: string): Promise<TicketStatus | undefined>;
  /** The user's match is over: they may queue again. Forgets their matched ticket. */
  release(userId: string): Promise<void>;
  /** Tickets waiting for an opponent. */
  queueLength(): Promise<number>;
  /** Calls `listener` for every pair made; returns a function that unsubscribes. */
  onMatched(listener: (pair: MatchedPair) => void): () => void;
  /** Lets go of connections and timers (server stop). */
  close(): Promise<void>;
}

/** The shared matchmaking state cannot be reached (Redis down): the client may retry soon. */
export class MatchmakingUnavailableError extends Error {
  constructor(cause: unknown) {
    super('matchmaking state is unreachable', { cause });
    this.name = 'MatchmakingUnavailableError';
  }
}

/** A cryptographically random ticket id (UUID v4, 122 random bits). */
export function newTicketId(): string {
  return randomUUID();
}
