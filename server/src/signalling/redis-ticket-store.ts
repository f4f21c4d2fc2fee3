// Tickets' signalling state in Redis, shared by every node, and their settling events through
// one pub/sub channel that every node listens on: the POST, the event stream, the DELETE and
// the pairing of one ticket may each land on a different process. Keys (under the prefix P):
//   P sig:t:<ticketId>  HASH owner, username, state waiting|settled, last (event JSON)
//   P sig:u:<username>  the user's waiting ticketId (logout, kick and the reaper cancel it)
// A waiting ticket lives WAITING_TTL past its node's last refresh, so a dead node's tickets
// vanish; a stream waiting on one then hears `failed` (match_unavailable) from its own node's
// check. A settled one stays readable SETTLED_TTL_MS.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MatchEvent } from '../../../shared/src/net/api-client.js';
import { MatchmakingUnavailableError } from '../matchmaking/matchmaker.js';
import {
  SETTLED_TTL_MS,
  type TicketListener,
  type TicketRecord,
  type TicketStore,
  type WaitingTicket,
} from './ticket-store.js';

const CREATE = `
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'username', ARGV[2], 'state', 'waiting', 'last', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4])
return 1
`;

// KEYS: ticket. ARGV: prefix, id, event JSON, settled TTL, channel.
const SETTLE = `
local t = redis.call('HMGET', KEYS[1], 'state', 'username')
if t[1] ~= 'waiting' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'settled', 'last', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local uk = ARGV[1] .. 'u:' .. t[2]
if redis.call('GET', uk) == ARGV[2] then redis.call('DEL', uk) end
redis.call('PUBLISH', ARGV[5], ARGV[2] .. ' ' .. ARGV[3])
return 1
`;

// ARGV: prefix, ttl, ids… Renews each still-waiting ticket; returns the ids of the others.
const REFRESH = `
local gone = {}
for i = 3, #ARGV do
  local tk = ARGV[1] .. 't:' .. ARGV[i]
  local t = redis.call('HMGET', tk, 'state', 'username')
  if t[1] == 'waiting' then
    redis.call('PEXPIRE', tk, ARGV[2])
    redis.call('PEXPIRE', ARGV[1] .. 'u:' .. t[2], ARGV[2])
  else
    gone[#gone + 1] = ARGV[i]
  end
end
return gone
`;

interface Commands {
  sigCreate(...args: string[]): Promise<number>;
  sigSettle(...args: string[]): Promise<number>;
  sigRefresh(...args: string[]): Promise<string[]>;
}

export interface RedisTicketStoreOptions {
  url: string;
  /** Prepended to every key and the channel ("sig:" is added). */
  keyPrefix: string;
  logger: Logger;
  /** A waiting ticket lives this long past its node's last refresh (ms). */
  waitingTtlMs?: number;
  /** How often this node refreshes its tickets and re-reads the ones its streams wait on (ms). */
  checkIntervalMs?: number;
}

const FIRST_CONNECT_WAIT_MS = 1000;

export class RedisTicketStore implements TicketStore {
  private readonly redis: Redis & Commands;
  private readonly sub: Redis;
  private readonly pfx: string;
  private readonly channel: string;
  private readonly waitingTtlMs: number;
  private readonly listeners = new Map<string, Set<TicketListener>>();
  private readonly here = new Map<string, WaitingTicket>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly started: Promise<void>;

  constructor(private readonly o: RedisTicketStoreOptions) {
    this.pfx = `${o.keyPrefix}sig:`;
    this.channel = `${this.pfx}events`;
    this.waitingTtlMs = o.waitingTtlMs ?? 10_000;
    const common = {
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    this.redis = new Redis(o.url, {
      ...common,
      enableOfflineQueue: false,
      commandTimeout: 1000,
      enableAutoPipelining: true,
    }) as Redis & Commands;
    this.redis.defineCommand('sigCreate', { numberOfKeys: 2, lua: CREATE });
    this.redis.defineCommand('sigSettle', { numberOfKeys: 1, lua: SETTLE });
    this.redis.defineCommand('sigRefresh', { numberOfKeys: 0, lua: REFRESH });
    // The subscriber re-subscribes by itself after a reconnect (ioredis autoResubscribe).
    this.sub = new Redis(o.url, common);
    for (const r of [this.redis, this.sub])
      r.on('error', (err: Error) => o.logger.debug({ err }, 'ticket store: redis error'));
    this.sub.on('message', (_channel: string, message: string) => this.onMessage(message));
    const subscribed = this.sub.subscribe(this.channel).then(
      () => undefined,
      (err: unknown) => o.logger.warn({ err }, 'ticket store: could not subscribe yet'),
    );
    const ready = new Promise<void>((resolve) => this.redis.once('ready', () => resolve()));
    const bound = new Promise<void>((resolve) =>
      setTimeout(resolve, FIRST_CONNECT_WAIT_MS).unref(),
    );
    this.started = Promise.race([Promise.all([ready, subscribed]).then(() => undefined), bound]);
    // Lost pub/sub messages (a reconnect) are caught up by the same periodic check.
    this.timer = setInterval(
      () => {
        this.check().catch((err: unknown) => o.logger.warn({ err }, 'ticket store: check failed'));
      },
      o.checkIntervalMs ?? this.waitingTtlMs / 4,
    );
    this.timer.unref();
  }

  async create(ticketId: string, rec: TicketRecord): Promise<void> {
    await this.run(() =>
      this.redis.sigCreate(
        `${this.pfx}t:${ticketId}`,
        `${this.pfx}u:${rec.username}`,
        rec.ownerId,
        rec.username,
        JSON.stringify(rec.last),
        String(this.waitingTtlMs),
        ticketId,
      ),
    );
    this.here.set(ticketId, { ticketId, ownerId: rec.ownerId, username: rec.username });
  }

  async get(ticketId: string): Promise<TicketRecord | undefined> {
    const [ownerId, username, last] = await this.run(() =>
      this.redis.hmget(`${this.pfx}t:${ticketId}`, 'owner', 'username', 'last'),
    );
    if (!ownerId || !username || !last) return undefined;
    return { ownerId, username, last: JSON.parse(last) as MatchEvent };
  }

  async settle(ticketId: string, e: MatchEvent): Promise<boolean> {
    const done = await this.run(() =>
      this.redis.sigSettle(
        `${this.pfx}t:${ticketId}`,
        this.pfx,
        ticketId,
        JSON.stringify(e),
        String(SETTLED_TTL_MS),
        this.channel,
      ),
    );
    this.here.delete(ticketId);
    return done === 1;
  }

  listen(ticketId: string, listener: TicketListener): () => void {
    let set = this.listeners.get(ticketId);
    if (!set) this.listeners.set(ticketId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(ticketId) === set) this.listeners.delete(ticketId);
    };
  }

  async waitingOf(username: string): Promise<WaitingTicket | undefined> {
    const ticketId = await this.run(() => this.redis.get(`${this.pfx}u:${username}`));
    if (!ticketId) return undefined;
    const rec = await this.get(ticketId);
    if (rec?.last.type !== 'waiting') return undefined;
    return { ticketId, ownerId: rec.ownerId, username };
  }

  waitingHere(): WaitingTicket[] {
    return [...this.here.values()];
  }

  async remove(ticketId: string): Promise<void> {
    const t = this.here.get(ticketId);
    this.here.delete(ticketId);
    await this.run(() => this.redis.del(`${this.pfx}t:${ticketId}`));
    if (t) await this.run(() => this.redis.del(`${this.pfx}u:${t.username}`));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.listeners.clear();
    await Promise.all([this.redis, this.sub].map((r) => r.quit().catch(() => r.disconnect())));
  }

  private onMessage(message: string): void {
    const space = message.indexOf(' ');
    const ticketId = message.slice(0, space);
    this.here.delete(ticketId);
    const set = this.listeners.get(ticketId);
    if (!set) return;
    const e = JSON.parse(message.slice(space + 1)) as MatchEvent;
    this.deliver(ticketId, e);
  }

  private deliver(ticketId: string, e: MatchEvent): void {
    const set = this.listeners.get(ticketId);
    if (!set) return;
    this.listeners.delete(ticketId);
    for (const l of set) l(e);
  }

  /** Keeps this node's waiting tickets alive; re-reads those its streams wait on. */
  private async check(): Promise<void> {
    if (this.here.size > 0) {
      const gone = await this.redis.sigRefresh(
        this.pfx,
        String(this.waitingTtlMs),
        ...this.here.keys(),
      );
      for (const id of gone) this.here.delete(id);
    }
    await Promise.all(
      [...this.listeners.keys()].map(async (ticketId) => {
        const rec = await this.get(ticketId);
        if (!rec)
          this.deliver(ticketId, {
            type: 'failed',
            ticketId,
            code: 'match_unavailable',
            message: 'The ticket was lost with its server; queue again.',
          });
        else if (rec.last.type !== 'waiting') this.deliver(ticketId, rec.last);
      }),
    );
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    await this.started;
    try {
      return await command();
    } catch (err) {
      throw new MatchmakingUnavailableError(err);
    }
  }
}
