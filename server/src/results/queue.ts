// The one queue every match result goes through: enqueue on the game server, a consumer that
// applies results, and the results that failed for good (dead letters) for an operator.
import type { MatchResult } from './result.js';

export interface ResultsQueue {
  /** Resolves once the result is durable (on disk, or accepted by SQS). */
  enqueue(result: MatchResult): Promise<void>;
  /**
   * Starts handing queued results to `apply`, in order, retrying with backoff. A queue whose
   * consumer runs elsewhere (SQS → Lambda) ignores this.
   */
  start(apply: (result: MatchResult) => Promise<unknown>): void;
  /** Waits up to `ms` for the backlog to be applied here (no-op when consumed elsewhere). */
  drain(ms: number): Promise<void>;
  /** Stops the consumer and releases the store; what is queued stays queued. */
  close(): Promise<void>;
}

export interface DeadLetter {
  /** The match id: one result per match. */
  id: string;
  /** Null when the stored body is not a readable result. */
  result: MatchResult | null;
  attempts: number;
  /** The last failure, as the consumer saw it. */
  error: string;
  failedAt: string;
}

export interface DeadLetters {
  list(): Promise<DeadLetter[]>;
  /** Puts the result back on the queue; false when no dead letter has this id. */
  retry(id: string): Promise<boolean>;
}

export interface RetryPolicy {
  /** Attempts before a result becomes a dead letter. */
  maxAttempts: number;
  /** Wait after the first failure; doubled after each further one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const backoffMs = (failures: number, p: RetryPolicy): number =>
  Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.max(0, failures - 1));
