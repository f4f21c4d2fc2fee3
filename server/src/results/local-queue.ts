// Local mode's results queue: LevelDB (classic-level) under DATA_DIR, drained in this process.
// LevelDB's write-ahead log with checksums, and `sync: true` on every write, keep each result
// through kill -9 and power loss; keys in sequence order keep results in order.
import { ClassicLevel } from 'classic-level';
import type { Logger } from 'pino';
import {
  backoffMs,
  type DeadLetter,
  type DeadLetters,
  type ResultsQueue,
  type RetryPolicy,
} from './queue.js';
import { InvalidResultError, parseResult, type MatchResult } from './result.js';
import { Signal } from './signal.js';

interface Entry {
  result: MatchResult;
  /** Failed attempts so far. */
  attempts: number;
  lastError?: string;
}

const QUEUED = 'q:';
const DEAD = 'd:';
const SYNC = { sync: true } as const;
const seqKey = (seq: number) => `${QUEUED}${String(seq).padStart(16, '0')}`;
const range = (prefix: string) => ({ gte: prefix, lt: `${prefix}\xff` });

export interface LocalQueueEvents {
  /** A result was applied (or found already applied) and left the queue. */
  onDone?: (result: MatchResult, attempts: number) => void;
  onDeadLetter?: (letter: DeadLetter) => void;
}

export class LocalResultsQueue implements ResultsQueue, DeadLetters {
  private readonly db: ClassicLevel<string, Entry | DeadLetter>;
  private readonly ready: Promise<void>;
  private readonly work = new Signal();
  private readonly idle = new Signal();
  private nextSeq = 0;
  private backlog = 0;
  private closing = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly o: {
      path: string;
      policy: RetryPolicy;
      logger: Logger;
      events?: LocalQueueEvents;
    },
  ) {
    this.db = new ClassicLevel(o.path, { valueEncoding: 'json' });
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    await this.db.open();
    for await (const key of this.db.keys({ ...range(QUEUED) })) {
      this.backlog++;
      this.nextSeq = Number(key.slice(QUEUED.length)) + 1;
    }
  }

  async enqueue(result: MatchResult): Promise<void> {
    await this.ready;
    await this.db.put(seqKey(this.nextSeq++), { result, attempts: 0 }, SYNC);
    this.backlog++;
    this.work.notify();
  }

  start(apply: (result: MatchResult) => Promise<unknown>): void {
    this.loop ??= this.run(apply).catch((err: unknown) => {
      this.o.logger.error({ err }, 'results queue stopped');
    });
  }

  async drain(ms: number): Promise<void> {
    await this.ready;
    if (this.loop && this.backlog > 0) await this.idle.wait(ms);
  }

  async close(): Promise<void> {
    await this.ready;
    this.closing = true;
    this.work.notify();
    await this.loop;
    await this.db.close();
  }

  async list(): Promise<DeadLetter[]> {
    await this.ready;
    const letters: DeadLetter[] = [];
    for await (const value of this.db.values(range(DEAD))) letters.push(value as DeadLetter);
    return letters;
  }

  async retry(id: string): Promise<boolean> {
    await this.ready;
    const letter = (await this.db.get(DEAD + id)) as DeadLetter | undefined;
    if (!letter) return false;
    await this.db.batch(
      [
        { type: 'del', key: DEAD + id },
        {
          type: 'put',
          key: seqKey(this.nextSeq++),
          value: { result: letter.result as MatchResult, attempts: 0 },
        },
      ],
      SYNC,
    );
    this.backlog++;
    this.work.notify();
    return true;
  }

  private async run(apply: (result: MatchResult) => Promise<unknown>): Promise<void> {
    await this.ready;
    while (!this.closing) {
      const head = await this.head();
      if (!head) {
        this.idle.notify();
        // close() may have notified while head() ran: check before sleeping, or never wake.
        if (this.closing) break;
        await this.work.wait();
        continue;
      }
      const failures = await this.attempt(head.key, head.entry, apply);
      if (failures > 0) await this.work.wait(backoffMs(failures, this.o.policy));
    }
  }

  private async head(): Promise<{ key: string; entry: Entry } | undefined> {
    for await (const [key, entry] of this.db.iterator({ ...range(QUEUED), limit: 1 }))
      return { key, entry: entry as Entry };
    return undefined;
  }

  /** Failed attempts after this one; 0 when the entry left the queue. */
  private async attempt(
    key: string,
    entry: Entry,
    apply: (result: MatchResult) => Promise<unknown>,
  ): Promise<number> {
    try {
      // Stored entries are re-read from disk: validate them like any outside input.
      const result = parseResult(entry.result);
      await apply(result);
      await this.db.del(key, SYNC);
      this.backlog--;
      this.o.events?.onDone?.(result, entry.attempts + 1);
      return 0;
    } catch (err) {
      const attempts = entry.attempts + 1;
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (err instanceof InvalidResultError || attempts >= this.o.policy.maxAttempts) {
        await this.bury(key, { ...entry, attempts, lastError: error });
        return 0;
      }
      this.o.logger.warn(
        { err, matchId: entry.result.matchId, attempts },
        'result not applied yet',
      );
      await this.db.put(key, { ...entry, attempts, lastError: error }, SYNC);
      return attempts;
    }
  }

  private async bury(key: string, entry: Entry & { lastError: string }): Promise<void> {
    const letter: DeadLetter = {
      // A corrupt entry may lack its match id; its key still names it.
      id: String((entry.result as Partial<MatchResult> | undefined)?.matchId ?? key),
      result: entry.result,
      attempts: entry.attempts,
      error: entry.lastError,
      failedAt: new Date().toISOString(),
    };
    await this.db.batch(
      [
        { type: 'del', key },
        { type: 'put', key: DEAD + letter.id, value: letter },
      ],
      SYNC,
    );
    this.backlog--;
    this.o.logger.error({ matchId: letter.id, error: letter.error }, 'match result dead-lettered');
    this.o.events?.onDeadLetter?.(letter);
  }
}
