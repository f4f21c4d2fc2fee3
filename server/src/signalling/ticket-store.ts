// Where a ticket's signalling state lives (its owner, and the last event its stream said) and
// how its settling event reaches the stream. In process memory for one node; in Redis with
// pub/sub for many (redis-ticket-store.ts), so a stream on any node hears a ticket settled on
// any other.
import type { MatchEvent } from '../../../shared/src/net/api-client.js';

export type TicketListener = (e: MatchEvent) => void;

export interface TicketRecord {
  ownerId: string;
  username: string;
  last: MatchEvent;
}

export interface WaitingTicket {
  ticketId: string;
  ownerId: string;
  username: string;
}

// A settled ticket's last event stays readable this long, for a client whose stream opens late.
export const SETTLED_TTL_MS = 60_000;

export interface TicketStore {
  /** Records a new waiting ticket (its `last` is the `waiting` event). */
  create(ticketId: string, rec: TicketRecord): Promise<void>;
  get(ticketId: string): Promise<TicketRecord | undefined>;
  /**
   * Makes `e` the ticket's last word and tells its listeners on every node; kept readable
   * SETTLED_TTL_MS. False (and nothing told) when the ticket is gone or already settled.
   */
  settle(ticketId: string, e: MatchEvent): Promise<boolean>;
  /** Hears the event that settles the ticket, wherever it is settled; returns an unsubscribe. */
  listen(ticketId: string, listener: TicketListener): () => void;
  /** The user's waiting ticket, on whichever node it was queued. */
  waitingOf(username: string): Promise<WaitingTicket | undefined>;
  /** Waiting tickets queued through this node (server stop tells their owners). */
  waitingHere(): WaitingTicket[];
  /** Forgets a ticket that never got queued. */
  remove(ticketId: string): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  rec: TicketRecord;
  listeners: Set<TicketListener>;
}

/** One node's tickets in a Map (no Redis). */
export class MemoryTicketStore implements TicketStore {
  private readonly tickets = new Map<string, Entry>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  create(ticketId: string, rec: TicketRecord): Promise<void> {
    this.tickets.set(ticketId, { rec: { ...rec }, listeners: new Set() });
    return Promise.resolve();
  }

  get(ticketId: string): Promise<TicketRecord | undefined> {
    const t = this.tickets.get(ticketId);
    return Promise.resolve(t && { ...t.rec });
  }

  settle(ticketId: string, e: MatchEvent): Promise<boolean> {
    const t = this.tickets.get(ticketId);
    if (t?.rec.last.type !== 'waiting') return Promise.resolve(false);
    t.rec.last = e;
    for (const l of t.listeners) l(e);
    t.listeners.clear();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.tickets.delete(ticketId);
    }, SETTLED_TTL_MS);
    timer.unref();
    this.timers.add(timer);
    return Promise.resolve(true);
  }

  listen(ticketId: string, listener: TicketListener): () => void {
    const t = this.tickets.get(ticketId);
    if (!t) return () => undefined;
    t.listeners.add(listener);
    return () => t.listeners.delete(listener);
  }

  waitingOf(username: string): Promise<WaitingTicket | undefined> {
    return Promise.resolve(this.waitingHere().find((t) => t.username === username));
  }

  waitingHere(): WaitingTicket[] {
    return [...this.tickets]
      .filter(([, t]) => t.rec.last.type === 'waiting')
      .map(([ticketId, t]) => ({ ticketId, ownerId: t.rec.ownerId, username: t.rec.username }));
  }

  remove(ticketId: string): Promise<void> {
    this.tickets.delete(ticketId);
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    return Promise.resolve();
  }
}
