// Matchmaking for many nodes: one queue in Redis, paired by a Lua script inside each enqueue,
// so pairing is atomic across every process and host and the enqueue that completes a pair
// learns of it (onMatched fires on that node, which then starts the match).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  MatchmakingUnavailableError,
  type EnqueueResult,
  type MatchedPair,
  type Matchmaker,
  type Ticket,
  type TicketStatus,
} from './matchmaker.js';
import { CANCEL, ENQUEUE, QUEUE_LENGTH, REFRESH, RELEASE } from './redis-scripts.js';

export interface RedisMatchmakerOptions {
  url: string;
  /** Prepended to every key ("mm:" is added), so deployments or test runs share one Redis. */
  keyPrefix: string;
  /** This node, recorded on its tickets (diagnostics). */
  nodeId: string;
  logger: Logger;
  /** Clock in ms for enqueuedAt/matchedAt; Redis's own clock runs the TTLs. */
  now: () => number;
  /** A waiting ticket lives this long past its node's last refresh (ms). */
  queuedTtlMs?: number;
  /** A matched ticket (the player is "in a match") lives this long unless released (ms). */
  matchedTtlMs?: number;
  /** A command that takes longer fails (ms). */
  commandTimeoutMs?: number;
}

interface Commands {
  mmEnqueue(...args: string[]): Promise<string[]>;
  mmCancel(...args: string[]): Promise<number>;
  mmRelease(...args: string[]): Promise<number>;
  mmRefresh(...args: string[]): Promise<string[]>;
  mmQueueLength(...args: string[]): Promise<number>;
}

const FIRST_CONNECT_WAIT_MS = 1000;

export class RedisMatchmaker implements Matchmaker {
  private readonly redis: Redis & Commands;
  private readonly pfx: string;
  private readonly queuedTtlMs: number;
  private readonly matchedTtlMs: number;
  private readonly listeners = new Set<(pair: MatchedPair) => void>();
  /** Tickets this node queued and keeps alive, until paired (anywhere) or cancelled. */
  private readonly waitingHere = new Set<string>();
  private readonly refresher: ReturnType<typeof setInterval>;
  private readonly started: Promise<void>;

  constructor(private readonly o: RedisMatchmakerOptions) {
    this.pfx = `${o.keyPrefix}mm:`;
    this.queuedTtlMs = o.queuedTtlMs ?? 10_000;
    this.matchedTtlMs = o.matchedTtlMs ?? 3_600_000;
    this.redis = new Redis(o.url, {
      // While Redis is out of reach, commands fail at once (503) instead of queueing up.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: o.commandTimeoutMs ?? 1000,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      // Concurrent enqueues share round trips: the throughput of the bench.
      enableAutoPipelining: true,
    }) as Redis & Commands;
    this.redis.on('error', (err: Error) => o.logger.debug({ err }, 'matchmaker: redis error'));
    this.redis.defineCommand('mmEnqueue', { numberOfKeys: 4, lua: ENQUEUE });
    this.redis.defineCommand('mmCancel', { numberOfKeys: 2, lua: CANCEL });
    this.redis.defineCommand('mmRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis.defineCommand('mmRefresh', { numberOfKeys: 0, lua: REFRESH });
    this.redis.defineCommand('mmQueueLength', { numberOfKeys: 1, lua: QUEUE_LENGTH });
    this.started = new Promise((resolve) => {
      this.redis.once('ready', resolve);
      setTimeout(resolve, FIRST_CONNECT_WAIT_MS).unref();
    });
    // Three refreshes per TTL: one lost to a slow moment does not expire a live ticket.
    this.refresher = setInterval(() => {
      this.refresh().catch((err: unknown) => o.logger.warn({ err }, 'matchmaker: refresh failed'));
    }, this.queuedTtlMs / 3);
    this.refresher.unref();
  }

  async enqueue(ticket: Ticket): Promise<EnqueueResult> {
    const reply = await this.run(() =>
      this.redis.mmEnqueue(
        `${this.pfx}queue`,
        `${this.pfx}seq`,
        `${this.pfx}t:${ticket.ticketId}`,
        `${this.pfx}u:${ticket.userId}`,
        this.pfx,
        ticket.ticketId,
        ticket.userId,
        JSON.stringify(ticket),
        String(this.queuedTtlMs),
        String(this.matchedTtlMs),
        String(Math.round(this.o.now())),
        this.o.nodeId,
      ),
    );
    const [status, ...pairs] = reply;
    if (status === 'already_queued' || status === 'duplicate_ticket')
      return { ok: false, error: status };
    const made = pairs.map((json) => JSON.parse(json) as MatchedPair);
    const pairedIds = new Set(made.flatMap((p) => p.tickets.map((t) => t.ticketId)));
    if (!pairedIds.has(ticket.ticketId)) this.waitingHere.add(ticket.ticketId);
    for (const id of pairedIds) this.waitingHere.delete(id);
    this.notify(made);
    return { ok: true };
  }

  async cancel(ticketId: string, userId: string): Promise<boolean> {
    const removed = await this.run(() =>
      this.redis.mmCancel(
        `${this.pfx}queue`,
        `${this.pfx}t:${ticketId}`,
        this.pfx,
        ticketId,
        userId,
      ),
    );
    if (removed === 1) this.waitingHere.delete(ticketId);
    return removed === 1;
  }

  async get(ticketId: string): Promise<TicketStatus | undefined> {
    const [ticket, state, pair] = await this.run(() =>
      this.redis.hmget(`${this.pfx}t:${ticketId}`, 'ticket', 'state', 'pair'),
    );
    if (!ticket) return undefined;
    const t = JSON.parse(ticket) as Ticket;
    if (state === 'matched' && pair)
      return { state: 'matched', ticket: t, pair: JSON.parse(pair) as MatchedPair };
    return { state: 'queued', ticket: t };
  }

  async release(userId: string): Promise<void> {
    await this.run(() => this.redis.mmRelease(`${this.pfx}u:${userId}`, this.pfx));
  }

  queueLength(): Promise<number> {
    return this.run(() => this.redis.mmQueueLength(`${this.pfx}queue`, this.pfx));
  }

  onMatched(listener: (pair: MatchedPair) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops refreshing and disconnects. The tickets this node queued are left to expire, as if
   * the node had died: the caller cancels the ones it wants gone first (server stop).
   */
  async close(): Promise<void> {
    clearInterval(this.refresher);
    this.waitingHere.clear();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Renews the TTL of this node's waiting tickets; forgets those paired or cancelled elsewhere. */
  private async refresh(): Promise<void> {
    if (this.waitingHere.size === 0) return;
    try {
      const ids = [...this.waitingHere];
      const gone = await this.redis.mmRefresh(this.pfx, String(this.queuedTtlMs), ...ids);
      for (const id of gone) this.waitingHere.delete(id);
    } catch (err) {
      this.o.logger.warn({ err }, 'matchmaker: could not refresh waiting tickets');
    }
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    await this.started;
    try {
      return await command();
    } catch (err) {
      throw new MatchmakingUnavailableError(err);
    }
  }

  /** Same contract as the in-memory one: every listener runs; the first error rejects. */
  private notify(pairs: MatchedPair[]): void {
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
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'onMatched listeners failed');
  }
}
