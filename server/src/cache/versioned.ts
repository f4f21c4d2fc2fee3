// Versioned keys: every cached view that a match result can change (leaderboard pages, the
// neighbours of a player, public profiles) is stored under the current generation, and a
// result moves the generation on. One write invalidates them all, on every node, at once;
// the old entries are never read again and expire on their own.
import { randomUUID } from 'node:crypto';
import type { ResilientCache } from './resilient.js';

// The generation outlives any entry made under it; if it is lost, a new one is made and the
// old entries are simply unreachable.
const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;
const GENERATION_KEY = 'gen';

export interface VersionedCacheOptions {
  /** How long an entry may be served (ms). */
  ttlMs: number;
  /**
   * A second invalidation this long after the last one (ms): reads of a GSI are eventually
   * consistent, so a page read just after a result may still show the old order, and it must
   * not stay cached for a whole TTL.
   */
  settleMs: number;
}

export class VersionedCache {
  /** An invalidation that could not be written: until it is, nothing is read from the cache. */
  private owed = false;
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cache: ResilientCache,
    private readonly o: VersionedCacheOptions,
  ) {
    // Results written while Redis was unreachable (on any node) could not invalidate.
    cache.onReconnect(() => this.renewLater());
  }

  /** The cached value of `key`, or `load()`'s, which is then cached for the TTL (unless undefined). */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const generation = await this.current();
    const full = generation === undefined ? undefined : `${generation}:${key}`;
    if (full !== undefined) {
      const hit = await this.cache.get<T>(full);
      if (hit !== undefined) return hit;
    }
    const value = await load();
    if (full !== undefined && value !== undefined) await this.cache.set(full, value, this.o.ttlMs);
    return value;
  }

  /** Invalidates every entry, now and once more after settleMs. */
  async invalidateAll(): Promise<void> {
    await this.renew();
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.renewLater(), this.o.settleMs);
    this.settleTimer.unref();
  }

  close(): void {
    clearTimeout(this.settleTimer);
  }

  /** The generation to use; undefined means: leave the cache alone for now. */
  private async current(): Promise<string | undefined> {
    if (this.owed && !(await this.renew())) return undefined;
    return (await this.cache.get<string>(GENERATION_KEY, 'generation')) ?? this.renew();
  }

  /** A renewal nobody waits for: if it fails, the next read owes one and retries it. */
  private renewLater(): void {
    this.renew().catch(() => (this.owed = true));
  }

  private async renew(): Promise<string | undefined> {
    const next = randomUUID();
    const stored = await this.cache.set(GENERATION_KEY, next, GENERATION_TTL_MS);
    this.owed = !stored;
    return stored ? next : undefined;
  }
}
