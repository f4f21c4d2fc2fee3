// The per-node session cache: what lets an authenticated call skip the lease's DynamoDB write.
// An entry says "this exact token was the live session's when the lease was last renewed";
// it is served for at most a quarter of the lease, and dropped the moment any node writes the
// session (logout, kick, refresh, expiry, a login that takes over), through the invalidations.
import type { PlayerItem } from '../players/player.js';
import type { SessionInvalidations } from './session-invalidations.js';

export interface CachedSession {
  jti: string;
  tokenHash: string;
  /** The player item the last renewal returned (what GET /api/me shows). */
  player: PlayerItem;
}

interface Entry extends CachedSession {
  /** When the lease was renewed (ms); the entry is served until renewedAt + renewEveryMs. */
  renewedAt: number;
}

/** Taken before a renewal; the renewal's answer may be stored only if nothing changed since. */
export type Ticket = number;

export interface SessionCacheOptions {
  invalidations: SessionInvalidations;
  /** How long a renewal stands for the session (ms): a quarter of LEASE_SECONDS. */
  renewEveryMs: number;
  now: () => number;
  /** Entries kept at most; the least recently stored goes first. */
  maxEntries?: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** username → sequence number of its last invalidation; bounded like the entries. */
  private readonly invalidated = new Map<string, number>();
  private seq = 0;
  /** Stores from tickets at or before this are refused (a clear, or a forgotten invalidation). */
  private floor = 0;
  private readonly maxEntries: number;

  constructor(private readonly o: SessionCacheOptions) {
    this.maxEntries = o.maxEntries ?? 100_000;
    o.invalidations.subscribe((username) => {
      if (username === undefined) this.clear();
      else this.invalidate(username);
    });
  }

  /** The cached player item if `token` is the session's and its renewal still stands. */
  lookup(username: string, token: { jti: string; tokenHash: string }): PlayerItem | undefined {
    // Fail safe: while invalidations may be missed (Redis pub/sub down), nothing is served.
    if (!this.o.invalidations.live) return undefined;
    const e = this.entries.get(username);
    if (!e) return undefined;
    if (this.o.now() >= e.renewedAt + this.o.renewEveryMs) {
      this.entries.delete(username);
      return undefined;
    }
    if (e.jti !== token.jti || e.tokenHash !== token.tokenHash) return undefined;
    return e.player;
  }

  /** Call before the renewal whose answer will be stored. */
  ticket(): Ticket {
    return this.seq;
  }

  /**
   * Keeps a renewal's answer, unless the session was invalidated after `ticket` was taken:
   * the renewal may have read the session before a logout that this node has heard of since.
   */
  store(username: string, session: CachedSession, ticket: Ticket, renewedAt: number): boolean {
    if (!this.o.invalidations.live) return false;
    if (ticket < this.floor || (this.invalidated.get(username) ?? -1) >= ticket) return false;
    this.entries.delete(username);
    // Frozen: every cached call of this session gets the same object.
    this.entries.set(username, { ...session, player: Object.freeze(session.player), renewedAt });
    this.trim();
    return true;
  }

  /** Drops the entry of `username` and refuses stores of renewals begun before now. */
  invalidate(username: string): void {
    this.entries.delete(username);
    this.invalidated.delete(username);
    this.invalidated.set(username, this.seq++);
    this.trim();
  }

  /** Drops every entry (invalidations may have been missed) and refuses older renewals. */
  clear(): void {
    this.entries.clear();
    this.invalidated.clear();
    this.floor = ++this.seq;
  }

  get size(): number {
    return this.entries.size;
  }

  private trim(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    // A forgotten invalidation could let an older renewal in: raise the floor past it.
    while (this.invalidated.size > this.maxEntries) {
      const oldest = this.invalidated.entries().next();
      if (oldest.done) break;
      this.invalidated.delete(oldest.value[0]);
      this.floor = Math.max(this.floor, oldest.value[1] + 1);
    }
  }
}
