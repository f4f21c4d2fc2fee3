// Supervision with fake runners behind the RoomRunner interface: start-up, restarts, the
// watchdog. Timers are vitest's fake ones, so no test waits on the wall clock.
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerPool } from './worker-pool.js';
import type { HostMessage, WorkerMessage } from './worker-protocol.js';
import type { RoomRunner } from './worker-spawn.js';

/** A runner that answers pings unless told to hang, and can be made to crash. */
class FakeRunner implements RoomRunner {
  readonly events = new EventEmitter<{ message: [WorkerMessage]; exit: [number] }>();
  hung = false;
  killed = false;
  post(m: WorkerMessage) {
    queueMicrotask(() => this.events.emit('message', m));
  }
  postMessage({ id, request }: HostMessage): void {
    if (this.hung) return;
    if (request.kind === 'ping') this.post({ kind: 'reply', id, ok: true, value: {} });
  }
  onMessage(cb: (m: WorkerMessage) => void) {
    this.events.on('message', cb);
  }
  onError() {}
  onExit(cb: (code: number) => void) {
    this.events.on('exit', cb);
  }
  crash(code = 1) {
    queueMicrotask(() => this.events.emit('exit', code));
  }
  terminate() {
    this.crash(0);
    return Promise.resolve();
  }
  kill() {
    this.killed = true;
    this.crash(137);
    return Promise.resolve();
  }
}

function setup() {
  const runners: FakeRunner[] = [];
  const failed: number[] = [];
  const pool = new WorkerPool({
    count: 1,
    startRunner: () => {
      const runner = new FakeRunner();
      runners.push(runner);
      // A log line before `ready` is just a log line (issue 12, scope 4).
      runner.post({ kind: 'log', level: 'info', obj: {}, msg: 'loading' });
      runner.post({ kind: 'ready' });
      return runner;
    },
    logger: pino({ level: 'silent' }),
    watchdog: { intervalMs: 1_000, timeoutMs: 3_000 },
    startTimeoutMs: 15_000,
    onEvent: () => undefined,
    onFailure: (handle) => failed.push(handle.index),
  });
  return { pool, runners, failed };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('WorkerPool', () => {
  it('starts when the worker says ready, even after other messages', async () => {
    const { pool } = setup();
    await pool.ready();
    expect(pool.accepting()).toHaveLength(1);
    pool.close();
  });

  it('replaces a worker that exited, after the pause, and counts the failure', async () => {
    const { pool, runners, failed } = setup();
    await pool.ready();
    runners[0]?.crash();
    await vi.advanceTimersByTimeAsync(0);
    expect(failed).toEqual([0]);
    expect(pool.accepting()).toHaveLength(0); // no capacity until the replacement is up
    await vi.advanceTimersByTimeAsync(200);
    expect(runners).toHaveLength(2);
    expect(pool.accepting()).toHaveLength(1);
    expect(pool.failureCount).toBe(1);
    pool.close();
  });

  it('waits longer after each failure in a row', async () => {
    const { pool, runners } = setup();
    await pool.ready();
    runners[0]?.crash();
    await vi.advanceTimersByTimeAsync(200);
    runners[1]?.crash();
    await vi.advanceTimersByTimeAsync(200);
    expect(runners).toHaveLength(2); // the second pause is 400 ms
    await vi.advanceTimersByTimeAsync(200);
    expect(runners).toHaveLength(3);
    pool.close();
  });

  it('kills a worker that stops answering the watchdog, then replaces it', async () => {
    const { pool, runners, failed } = setup();
    await pool.ready();
    const first = runners[0];
    if (first) first.hung = true;
    await vi.advanceTimersByTimeAsync(1_000 + 3_000);
    expect(first?.killed).toBe(true);
    expect(failed).toEqual([0]);
    await vi.advanceTimersByTimeAsync(200);
    expect(runners).toHaveLength(2);
    expect(pool.accepting()).toHaveLength(1);
    pool.close();
  });

  it('keeps a worker that is slow to answer pings but goes on sending; kills it once it falls silent', async () => {
    const { pool, runners, failed } = setup();
    await pool.ready();
    const first = runners[0];
    if (first) first.hung = true; // pings go unanswered from now on
    // It still sends (replies to other requests, events, log lines) every half second.
    const chatter = setInterval(
      () => first?.post({ kind: 'log', level: 'debug', obj: {}, msg: 'busy' }),
      500,
    );
    await vi.advanceTimersByTimeAsync(20_000);
    expect(first?.killed).toBe(false);
    expect(failed).toEqual([]);
    clearInterval(chatter); // now it is silent as well: hung
    await vi.advanceTimersByTimeAsync(2 * (1_000 + 3_000));
    expect(first?.killed).toBe(true);
    expect(failed).toEqual([0]);
    pool.close();
  });

  it('restarts nothing once closed', async () => {
    const { pool, runners } = setup();
    await pool.ready();
    pool.close();
    runners[0]?.crash();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runners).toHaveLength(1);
  });
});
