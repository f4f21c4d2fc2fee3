// One-node matchmaking: a FIFO queue, paired synchronously inside enqueue (no polling).
import type { EnqueueResult, MatchedPair, Matchmaker, Ticket, TicketStatus } from './matchmaker.js';

export interface InMemoryMatchmakerOptions {
  /** Clock in ms; injected so tests drive it by hand. */
  readonly now: () => number;
}

export class InMemoryMatchmaker implements Matchmaker {
  private readonly now: () => number;
  // Map iteration order is insertion order, which makes it the FIFO queue.
  private readonly queue = new Map<string, Ticket>();
  private readonly matched = new Map<string, { ticket: Ticket; pair: MatchedPair }>();
  /** userId → their one live ticketId (queued or matched). */
  private readonly liveByUser = new Map<string, string>();
  private readonly listeners = new Set<(pair: MatchedPair) => void>();

  constructor(options: InMemoryMatchmakerOptions) {
    this.now = options.now;
  }

  enqueue(ticket: Ticket): Promise<EnqueueResult> {
    if (this.liveByUser.has(ticket.userId)) {
      return Promise.resolve({ ok: false, error: 'already_queued' });
    }
    if (this.queue.has(ticket.ticketId) || this.matched.has(ticket.ticketId)) {
      return Promise.resolve({ ok: false, error: 'duplicate_ticket' });
    }
    this.liveByUser.set(ticket.userId, ticket.ticketId);
    this.queue.set(ticket.ticketId, ticket);
    const pairs = this.pairWaiting();
    // State is settled before listeners run, so a listener may call back in safely.
    return this.notify(pairs).then(() => ({ ok: true }));
  }

  cancel(ticketId: string, userId: string): Promise<boolean> {
    const ticket = this.queue.get(ticketId);
    if (!ticket || ticket.userId !== userId) return Promise.resolve(false);
    this.queue.delete(ticketId);
    this.liveByUser.delete(userId);
    return Promise.resolve(true);
  }

  get(ticketId: string): Promise<TicketStatus | undefined> {
    const queued = this.queue.get(ticketId);
    if (queued) return Promise.resolve({ state: 'queued', ticket: queued });
    const matched = this.matched.get(ticketId);
    if (matched) return Promise.resolve({ state: 'matched', ...matched });
    return Promise.resolve(undefined);
  }

  release(userId: string): Promise<void> {
    const ticketId = this.liveByUser.get(userId);
    // Only a matched ticket is released; a queued one stays until cancelled or paired.
    if (ticketId !== undefined && this.matched.delete(ticketId)) this.liveByUser.delete(userId);
    return Promise.resolve();
  }

  queueLength(): Promise<number> {
    return Promise.resolve(this.queue.size);
  }

  onMatched(listener: (pair: MatchedPair) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private pairWaiting(): MatchedPair[] {
    const pairs: MatchedPair[] = [];
    while (this.queue.size >= 2) {
      const [a, b] = this.queue.values();
      if (!a || !b) break;
      this.queue.delete(a.ticketId);
      this.queue.delete(b.ticketId);
      const pair: MatchedPair = { tickets: [a, b], matchedAt: this.now() };
      for (const ticket of pair.tickets) this.matched.set(ticket.ticketId, { ticket, pair });
      pairs.push(pair);
    }
    return pairs;
  }

  /** Runs every listener for every pair; the first error (if any) rejects enqueue. */
  private notify(pairs: MatchedPair[]): Promise<void> {
    const errors: unknown[] = [];
    for (const pair of pairs) {
      for (const listener of [...this.listeners]) {
        try {
          listener(pair);
        } catch (err) {
          errors.push(err);
        }
      }
    }
    if (errors.length === 0) return Promise.resolve();
    return Promise.reject(
      errors.length === 1 ? errors[0] : new AggregateError(errors, 'onMatched listeners failed'),
    );
  }
}
