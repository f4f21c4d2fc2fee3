// Which server processes are alive, and how loaded. Each process heartbeats a Redis key with a
// short TTL carrying its entry; a process whose heartbeat lapsed is simply gone from the list
// (its key expired), so it never gets a match afterwards. A sorted set indexes the keys. Without
// Redis the platform is one process and the registry lists that one.
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { MatchPlayer } from '../match/worker-protocol.js';

export const HEARTBEAT_MS = 500;
export const NODE_TTL_MS = 3_000;
/**
 * A process whose key expired is released (its players freed) only once its last heartbeat is
 * this old: a live process whose beats were late under load comes back by itself, and a dead
 * one's primary says so at once (forget). Other hosts' deaths wait this long.
 */
export const REAP_AFTER_MS = 10_000;
// Members of the index whose key is gone are claimed and forgotten after this long at most.
const INDEX_TTL_MS = 60 * 60_000;

/** What a process says of itself in each heartbeat (GET /api/admin/status shows it). */
export interface NodeEntry {
  readonly nodeId: string;
  readonly host: string;
  readonly udpPort: number;
  readonly matches: number;
  readonly players: number;
  readonly tickLagP99Ms: number;
  readonly draining: boolean;
  readonly pid: number;
  /** The cluster index (NODE_INDEX) of the process on its host, or null with NODES=1. */
  readonly index: number | null;
  readonly startedAt: string;
}

export interface NodeLoad {
  matches: number;
  players: number;
  tickLagP99Ms: number;
  /** The players of the matches this process hosts, released if it dies. */
  hosted: readonly MatchPlayer[];
}

const entrySchema = z.object({
  nodeId: z.string(),
  host: z.string(),
  udpPort: z.number(),
  matches: z.number(),
  players: z.number(),
  tickLagP99Ms: z.number(),
  draining: z.boolean(),
  pid: z.number(),
  index: z.number().nullable(),
  startedAt: z.string(),
});
const playersSchema = z.array(
  z.object({
    userId: z.string(),
    username: z.string(),
    slot: z.union([z.literal(0), z.literal(1)]),
  }),
);

export interface NodeRegistry {
  readonly nodeId: string;
  /** Every live process (this one included while it is registered). */
  live(): Promise<NodeEntry[]>;
  /** This process's entry now, whatever Redis holds; undefined once it left. */
  self(): Promise<NodeEntry | undefined>;
  draining(): boolean;
  /** Takes no new matches from now on (the entry says so at once). */
  setDraining(on: boolean): Promise<void>;
  /**
   * Another process is known dead (its primary saw it exit): forget it now rather than when its
   * key expires, and release its players.
   */
  forget(nodeId: string): Promise<void>;
  /** Leaves the registry (server stop): no match is placed here any more. */
  leave(): Promise<void>;
  close(): Promise<void>;
}

export interface RegistryOptions {
  nodeId: string;
  udpPort: number;
  host?: string;
  index: number | null;
  load: () => Promise<NodeLoad>;
  logger: Logger;
  /** A dead process's players: their match is gone, they may queue again. */
  onNodeLost?: (nodeId: string, players: readonly MatchPlayer[]) => Promise<void>;
  now?: () => number;
  /** Default REAP_AFTER_MS. */
  reapAfterMs?: number;
}

const EMPTY_LOAD: NodeLoad = { matches: 0, players: 0, tickLagP99Ms: 0, hosted: [] };
const LOAD_TIMEOUT_MS = 300;

/** The load, or the last one known when the rooms are slow to say (a beat never stalls). */
function loadWithin(load: () => Promise<NodeLoad>, last: NodeLoad, logger: Logger) {
  return Promise.race([
    load().catch((err: unknown) => {
      logger.debug({ err }, 'registry: load unknown');
      return last;
    }),
    new Promise<NodeLoad>((r) => setTimeout(() => r(last), LOAD_TIMEOUT_MS).unref()),
  ]);
}

abstract class BaseRegistry {
  protected isDraining = false;
  protected lastLoad: NodeLoad = EMPTY_LOAD;
  protected readonly startedAt = new Date().toISOString();
  readonly nodeId: string;
  constructor(protected readonly o: RegistryOptions) {
    this.nodeId = o.nodeId;
  }

  protected async entry(): Promise<NodeEntry> {
    this.lastLoad = await loadWithin(this.o.load, this.lastLoad, this.o.logger);
    const { matches, players, tickLagP99Ms } = this.lastLoad;
    return {
      nodeId: this.o.nodeId,
      host: this.o.host ?? hostname(),
      udpPort: this.o.udpPort,
      matches,
      players,
      tickLagP99Ms,
      draining: this.isDraining,
      pid: process.pid,
      index: this.o.index,
      startedAt: this.startedAt,
    };
  }

  draining(): boolean {
    return this.isDraining;
  }

  protected hasLeft = false;
  async self(): Promise<NodeEntry | undefined> {
    return this.hasLeft ? undefined : this.entry();
  }
}

/** NODES=1 without Redis: the platform is this process. */
export class LocalRegistry extends BaseRegistry implements NodeRegistry {
  async live(): Promise<NodeEntry[]> {
    return this.hasLeft ? [] : [await this.entry()];
  }
  async setDraining(on: boolean): Promise<void> {
    this.isDraining = on;
  }
  async forget(): Promise<void> {}
  async leave(): Promise<void> {
    this.hasLeft = true;
  }
  async close(): Promise<void> {
    this.hasLeft = true;
  }
}

export interface RedisRegistryOptions extends RegistryOptions {
  url: string;
  prefix: string;
}

export class RedisRegistry extends BaseRegistry implements NodeRegistry {
  private readonly redis: Redis;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private beating: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly r: RedisRegistryOptions) {
    super(r);
    this.now = r.now ?? Date.now;
    this.redis = new Redis(r.url, {
      keyPrefix: r.prefix,
      maxRetriesPerRequest: 1,
      retryStrategy: (n) => Math.min(n * 200, 2000),
    });
    this.redis.on('error', (err: Error) => r.logger.debug({ err }, 'registry: redis error'));
  }

  private key(nodeId: string) {
    return `node:${nodeId}`;
  }
  private playersKey(nodeId: string) {
    return `node-players:${nodeId}`;
  }
  private readonly index = 'nodes';

  /** Registers now and then every HEARTBEAT_MS, until leave() or close(). */
  async start(): Promise<void> {
    await this.beat();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beating = this.beat()
        .then(() => this.reap())
        .catch((err: unknown) => this.r.logger.warn({ err }, 'registry: heartbeat failed'))
        .finally(() => this.schedule());
    }, HEARTBEAT_MS);
  }

  private async beat(): Promise<void> {
    const entry = await this.entry();
    if (this.stopped) return;
    await this.redis
      .multi()
      .set(this.key(this.nodeId), JSON.stringify(entry), 'PX', NODE_TTL_MS)
      .set(this.playersKey(this.nodeId), JSON.stringify(this.lastLoad.hosted), 'PX', INDEX_TTL_MS)
      .zadd(this.index, this.now(), this.nodeId)
      .exec();
  }

  async live(): Promise<NodeEntry[]> {
    const ids = await this.redis.zrange(this.index, 0, -1);
    if (ids.length === 0) return [];
    return parseEntries(await this.redis.mget(ids.map((id) => this.key(id))));
  }

  /**
   * Processes whose key expired and whose last beat is older than REAP_AFTER_MS: one live
   * process claims each (ZREM) and releases its players.
   */
  private async reap(): Promise<void> {
    const before = this.now() - (this.r.reapAfterMs ?? REAP_AFTER_MS);
    const ids = (await this.redis.zrangebyscore(this.index, '-inf', before)).filter(
      (id) => id !== this.nodeId,
    );
    if (ids.length === 0) return;
    const raw = await this.redis.mget(ids.map((id) => this.key(id)));
    for (const [i, id] of ids.entries()) if (raw[i] === null) await this.claim(id);
  }

  private async claim(nodeId: string): Promise<void> {
    if ((await this.redis.zrem(this.index, nodeId)) !== 1) return; // another process has it
    const raw = await this.redis.get(this.playersKey(nodeId));
    await this.redis.del(this.playersKey(nodeId));
    let players: MatchPlayer[] = [];
    try {
      const parsed = playersSchema.safeParse(JSON.parse(raw ?? '[]'));
      if (parsed.success) players = parsed.data;
    } catch {
      players = [];
    }
    this.r.logger.warn({ nodeId, players: players.length }, 'a server process is gone');
    await this.r.onNodeLost?.(nodeId, players);
  }

  async setDraining(on: boolean): Promise<void> {
    this.isDraining = on;
    await this.beating;
    await this.beat();
  }

  async forget(nodeId: string): Promise<void> {
    if (nodeId === this.nodeId) return;
    await this.redis.del(this.key(nodeId));
    await this.claim(nodeId);
  }

  async leave(): Promise<void> {
    this.hasLeft = true;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating.catch(() => undefined);
    await this.redis
      .multi()
      .del(this.key(this.nodeId), this.playersKey(this.nodeId))
      .zrem(this.index, this.nodeId)
      .exec()
      .catch((err: unknown) => this.r.logger.warn({ err }, 'registry: could not leave'));
  }

  async close(): Promise<void> {
    await this.leave();
    await this.redis.quit().catch(() => undefined);
  }
}

function parseEntries(raw: readonly (string | null)[]): NodeEntry[] {
  return raw.flatMap((r) => {
    if (r === null) return [];
    try {
      const parsed = entrySchema.safeParse(JSON.parse(r));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/** The live processes as a tool outside the platform sees them (the admin CLI): read only. */
export async function readNodes(url: string, prefix: string): Promise<NodeEntry[]> {
  const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const ids = await redis.zrange('nodes', 0, -1);
    if (ids.length === 0) return [];
    return parseEntries(await redis.mget(ids.map((id) => `node:${id}`)));
  } finally {
    redis.disconnect();
  }
}
