// How every node hears that a session changed, so its session cache drops the entry at once:
// Redis pub/sub on one channel when REDIS_URL is set, plain function calls within one process
// otherwise. `live` is false whenever an invalidation might be missed, and the cache then
// serves nothing (each call does the DynamoDB conditional write instead).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Called with the username whose session changed, or undefined for "drop every entry". */
export type InvalidationListener = (username: string | undefined) => void;

export interface SessionInvalidations {
  /** True while every invalidation published anywhere reaches this node. */
  readonly live: boolean;
  subscribe(listener: InvalidationListener): void;
  /**
   * Tells this node (synchronously, before anything else) and every other node. Never rejects:
   * the session write it follows has happened; a failed send is retried in the background.
   */
  publish(username: string): Promise<void>;
  close(): Promise<void>;
}

/** One process: nothing can be missed. */
export class LocalSessionInvalidations implements SessionInvalidations {
  readonly live = true;
  private readonly listeners: InvalidationListener[] = [];

  subscribe(listener: InvalidationListener): void {
    this.listeners.push(listener);
  }

  publish(username: string): Promise<void> {
    for (const l of this.listeners) l(username);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.listeners.length = 0;
    return Promise.resolve();
  }
}

export interface RedisInvalidationsOptions {
  url: string;
  /** The one pub/sub channel (CACHE_KEY_PREFIX + 'session-changed'). */
  channel: string;
  logger: Logger;
  /**
   * How long a failed publish is retried (ms): a quarter of the lease, after which every
   * node's entry from before the write has expired anyway.
   */
  retryForMs: number;
  now?: () => number;
}

/** The subscriber is pinged this often (ms) ... */
const PING_EVERY_MS = 1000;
/** ... and counts as deaf when its last answer is older than this (ms). */
const STALE_MS = 3000;
const RETRY_EVERY_MS = 200;

export class RedisSessionInvalidations implements SessionInvalidations {
  private readonly sub: Redis;
  private readonly pub: Redis;
  private readonly listeners: InvalidationListener[] = [];
  private readonly nodeId = randomUUID();
  private readonly now: () => number;
  private readonly pinger: NodeJS.Timeout;
  private readonly retries = new Set<NodeJS.Timeout>();
  private subscribed = false;
  /** Messages may have been missed since the last time this node was surely listening. */
  private missed = true;
  private lastPong = -Infinity;
  private publishFailing = false;

  constructor(private readonly o: RedisInvalidationsOptions) {
    this.now = o.now ?? Date.now;
    const common = {
      connectTimeout: 2000,
      commandTimeout: 500,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    // Subscribed by hand on every (re)connect, so this node knows when it listens again.
    this.sub = new Redis(o.url, { ...common, autoResubscribe: false, maxRetriesPerRequest: 0 });
    this.pub = new Redis(o.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    for (const r of [this.sub, this.pub])
      r.on('error', (err: Error) => o.logger.debug({ err }, 'redis (session invalidations)'));
    this.sub.on('ready', () => this.listen());
    this.sub.on('close', () => {
      this.subscribed = false;
      this.missed = true;
    });
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== o.channel) return;
      const at = message.indexOf('\n');
      // This node told its own listeners already, before publishing.
      if (at < 0 || message.slice(0, at) === this.nodeId) return;
      this.emit(message.slice(at + 1));
    });
    this.pinger = setInterval(() => this.ping(), PING_EVERY_MS);
    this.pinger.unref();
  }

  get live(): boolean {
    return this.subscribed && !this.missed && this.now() - this.lastPong < STALE_MS;
  }

  subscribe(listener: InvalidationListener): void {
    this.listeners.push(listener);
  }

  async publish(username: string): Promise<void> {
    this.emit(username);
    const deadline = this.now() + this.o.retryForMs;
    const message = `${this.nodeId}\n${username}`;
    if (await this.send(message)) return;
    const retry = () => {
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        if (this.now() >= deadline) return;
        this.send(message).then((ok) => ok || retry(), retry);
      }, RETRY_EVERY_MS);
      timer.unref();
      this.retries.add(timer);
    };
    retry();
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const t of this.retries) clearTimeout(t);
    this.listeners.length = 0;
    await Promise.all([this.sub, this.pub].map((r) => r.quit().catch(() => r.disconnect())));
  }

  private async send(message: string): Promise<boolean> {
    try {
      await this.pub.publish(this.o.channel, message);
      if (this.publishFailing) this.o.logger.info('session invalidations are published again');
      this.publishFailing = false;
      return true;
    } catch (err) {
      if (!this.publishFailing)
        this.o.logger.warn({ err }, 'session invalidation not published; retrying');
      this.publishFailing = true;
      return false;
    }
  }

  private listen(): void {
    this.sub.subscribe(this.o.channel).then(
      () => {
        this.subscribed = true;
        this.heard();
      },
      (err: unknown) => this.o.logger.warn({ err }, 'could not subscribe to session invalidations'),
    );
  }

  private ping(): void {
    if (!this.subscribed) return;
    this.sub.ping().then(
      () => this.heard(),
      () => undefined, // `live` turns false by itself once the last answer is stale
    );
  }

  /** The subscriber answered: it listens. Whatever may have been missed before is dropped. */
  private heard(): void {
    const t = this.now();
    if (this.missed || t - this.lastPong >= STALE_MS) {
      this.emit(undefined);
      this.missed = false;
    }
    this.lastPong = t;
  }

  private emit(username: string | undefined): void {
    for (const l of this.listeners) l(username);
  }
}
