// Supervision of the room workers: each slot holds one worker; one that dies, fails to start
// or stops answering the watchdog's ping is replaced, with a growing pause between tries.
import type { Logger } from 'pino';
import { WorkerHandle } from './worker-handle.js';
import type { RoomRunner } from './worker-spawn.js';
import { isRoomError, type WorkerEvent } from './worker-protocol.js';

export interface WatchdogSettings {
  /** How often each worker is pinged. */
  readonly intervalMs: number;
  /** A worker that takes longer to answer a ping is treated as hung and replaced. */
  readonly timeoutMs: number;
}

export interface WorkerPoolOptions {
  readonly count: number;
  readonly startRunner: () => RoomRunner;
  readonly logger: Logger;
  readonly watchdog: WatchdogSettings;
  readonly startTimeoutMs: number;
  readonly onEvent: (event: WorkerEvent) => void;
  /** A worker failed: whatever it held is gone. Called before its replacement starts. */
  readonly onFailure: (handle: WorkerHandle) => void;
}

const FIRST_RESTART_DELAY_MS = 200;
const MAX_RESTART_DELAY_MS = 10_000;
/** A worker that ran this long resets the pause before the next restart. */
const STABLE_AFTER_MS = 30_000;

export class WorkerPool {
  private readonly slots: WorkerHandle[];
  private readonly failures: number[];
  private readonly startedAt: number[];
  private readonly pinging = new Set<WorkerHandle>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly watchdog: ReturnType<typeof setInterval>;
  private closed = false;
  /** Workers that died, failed to start or were killed for hanging, since the pool started. */
  failureCount = 0;

  constructor(private readonly o: WorkerPoolOptions) {
    this.failures = Array.from({ length: o.count }, () => 0);
    this.startedAt = Array.from({ length: o.count }, () => performance.now());
    this.slots = Array.from({ length: o.count }, (_, i) => this.spawn(i));
    this.watchdog = setInterval(() => this.pingAll(), o.watchdog.intervalMs);
    this.watchdog.unref();
  }

  /** Resolves when the first workers are ready; rejects if one failed to start. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((w) => w.ready));
  }

  /** Workers that can take matches now. */
  accepting(): WorkerHandle[] {
    return this.slots.filter((w) => w.accepting);
  }

  /** Workers not failed (some may still be starting). */
  alive(): WorkerHandle[] {
    return this.slots.filter((w) => w.alive);
  }

  /** No more restarts or pings; the caller shuts the live workers down. */
  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private spawn(index: number): WorkerHandle {
    this.startedAt[index] = performance.now();
    return new WorkerHandle({
      index,
      thread: this.o.startRunner(),
      logger: this.o.logger,
      startTimeoutMs: this.o.startTimeoutMs,
      onEvent: this.o.onEvent,
      onFailure: (handle) => this.failed(index, handle),
    });
  }

  private failed(index: number, handle: WorkerHandle): void {
    this.failureCount++;
    this.o.onFailure(handle);
    if (this.closed) return;
    const ranFor = performance.now() - (this.startedAt[index] ?? 0);
    const failures = ranFor > STABLE_AFTER_MS ? 1 : (this.failures[index] ?? 0) + 1;
    this.failures[index] = failures;
    const delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** (failures - 1), MAX_RESTART_DELAY_MS);
    this.o.logger.warn({ worker: index, delayMs: delay, failures }, 'restarting the room worker');
    const restart = () => {
      if (this.closed) return;
      const replacement = this.spawn(index);
      this.slots[index] = replacement;
      replacement.ready.then(
        () => this.o.logger.info({ worker: index }, 'room worker restarted'),
        () => undefined, // its own failure restarts it again
      );
    };
    // After the pause AND after the old thread is gone: it may still hold the UDP port.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      handle.exited
        .then(restart)
        .catch((err: unknown) => this.o.logger.error({ err, worker: index }, 'restart failed'));
    }, delay);
    this.timers.add(timer);
  }

  private pingAll(): void {
    for (const worker of this.accepting()) {
      if (this.pinging.has(worker)) continue;
      this.pinging.add(worker);
      worker
        .request({ kind: 'ping' }, this.o.watchdog.timeoutMs)
        .catch((err: unknown) => {
          if (!isRoomError(err) || err.code !== 'timeout' || !worker.alive || this.closed) return;
          // Busy, not hung: its ping waits behind other work (a burst of new matches, say)
          // while it goes on sending replies and events. Killing it would end every match it
          // holds; the next ping tries again, and one that hears nothing either way kills it.
          const heardMsAgo = performance.now() - worker.lastHeardAt;
          if (heardMsAgo < this.o.watchdog.timeoutMs) {
            this.o.logger.warn(
              { worker: worker.index, heardMsAgo: Math.round(heardMsAgo) },
              'the room worker is slow to answer its ping, but it is sending: busy, not hung',
            );
            return;
          }
          return worker.kill(
            `the room worker did not answer a ping in ${this.o.watchdog.timeoutMs} ms, nor send anything`,
          );
        })
        .catch((err: unknown) => this.o.logger.error({ err }, 'could not end a hung room worker'))
        .finally(() => this.pinging.delete(worker));
    }
  }
}
