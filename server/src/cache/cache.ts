// The cache contract: JSON values with a time to live. Redis implements it across nodes
// (REDIS_URL); memory implements it for one node. Callers never depend on a hit: a cache is
// only ever a shortcut to data that lives in DynamoDB.

export interface Cache {
  /** The value, or undefined when absent or past its TTL. Rejects when the store fails. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON value that expires after `ttlMs`. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Invalidates one key at once. */
  delete(key: string): Promise<void>;
  /**
   * Calls `listener` each time the store is reachable again after an outage, so that callers
   * can redo invalidations that could not happen meanwhile. Memory never calls it.
   */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}
