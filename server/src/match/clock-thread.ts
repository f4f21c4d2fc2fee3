// Wake-ups with sub-millisecond precision for the rooms' fixed-rate loops. libuv's timers count
// whole milliseconds (its clock is truncated to the millisecond, and a 16.67 ms wait becomes a
// 16 ms timer and then a 1 ms one), so a 60 Hz loop on setTimeout starts its ticks 0.6-1 ms
// late at p50. A helper thread sleeps on a futex (Atomics.wait, whose timeout is fractional)
// until the earliest deadline and posts the wake-up; the main thread's event loop handles it as
// soon as it is idle, so network callbacks are never held back, as they would be by blocking or
// spinning the main thread itself. A periodic timer is armed once: the thread computes each
// deadline itself (start + n × period, no drift), so a tick costs one futex wake-up and one
// message, and nothing on the main thread but the message. The thread loads nothing but this
// code (node-datachannel lives in one environment per process, the main one).
import { Worker } from 'node:worker_threads';
import type { TimerApi } from './scheduler.js';

/** Deadlines pending at once: one per periodic loop (60 Hz ticks, pings), with room to spare. */
const SLOTS = 8;
/** BigInt64 fields per slot: deadline ns (0 = empty), timer id, start ns, period ps (0 = once). */
const FIELDS = 4;

// The shared memory, as BigInt64: [0] a generation, bumped (and notified) when a deadline is
// set; then SLOTS × FIELDS. Times are process.hrtime.bigint() nanoseconds, the clock under
// performance.now() too. Plain JavaScript, evaluated in the thread: no loader or build step.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const m = new BigInt64Array(workerData);
const field = (slot, f) => 1 + ${FIELDS} * slot + f;
for (;;) {
  const generation = Atomics.load(m, 0);
  const now = process.hrtime.bigint();
  let first = 0n;
  const due = [];
  for (let slot = 0; slot < ${SLOTS}; slot++) {
    let at = Atomics.load(m, field(slot, 0));
    if (at === 0n) continue;
    if (at <= now) {
      const id = Atomics.load(m, field(slot, 1));
      const periodPs = Atomics.load(m, field(slot, 3));
      let next = 0n;
      if (periodPs > 0n) {
        // The first deadline of the schedule after now (late wake-ups are not repeated).
        const start = Atomics.load(m, field(slot, 2));
        const n = ((now - start) * 1000n) / periodPs + 1n;
        next = start + (n * periodPs) / 1000n;
      }
      if (Atomics.compareExchange(m, field(slot, 0), at, next) !== at) continue; // cleared
      due.push({ at, id });
      at = next;
    }
    if (at !== 0n && (first === 0n || at < first)) first = at;
  }
  // Several due at once (the thread was late): in the order of their deadlines.
  due.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const { id } of due) parentPort.postMessage(Number(id));
  const waitMs = first === 0n ? Infinity : Number(first - process.hrtime.bigint()) / 1e6;
  if (waitMs > 0) Atomics.wait(m, 0, generation, waitMs);
}
`;

export interface ClockThread extends TimerApi {
  /** Calls `fn` at start + n × `periodMs`, never early; a late call is not repeated. */
  setInterval(fn: () => void, periodMs: number): unknown;
  /** Ends the thread (pending wake-ups are dropped). */
  close(): Promise<void>;
}

interface Pending {
  readonly slot: number;
  readonly fn: () => void;
  readonly periodMs: number;
  at: number;
}

/**
 * TimerApi served by the clock thread. Meant for the few long-lived periodic loops; one-shot
 * timers stay on libuv, and so does any timer beyond the thread's slots.
 */
export function startClockThread(): ClockThread {
  const memory = new SharedArrayBuffer(8 * (1 + SLOTS * FIELDS));
  const m = new BigInt64Array(memory);
  const at = (slot: number, f: number) => 1 + FIELDS * slot + f;
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: memory });
  worker.unref(); // never what keeps the process alive
  const pending = new Map<number, Pending>();
  const libuv = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  // libuv's intervals may fire up to 1 ms early, which a loop skips and makes up on the next
  // call: coarser, but only where the thread failed or its slots are all taken.
  const onLibuv = (id: number, fn: () => void, ms: number, periodic: boolean) => {
    const once = () => {
      libuv.delete(id);
      fn();
    };
    libuv.set(id, periodic ? setInterval(fn, ms) : setTimeout(once, ms));
  };
  // A thread that failed must not freeze the loops it served: they go on on libuv's timers.
  let fallback = false;
  const giveUp = () => {
    if (fallback) return;
    fallback = true;
    for (const [id, p] of pending)
      onLibuv(id, p.fn, Math.max(0, p.at - performance.now()), p.periodMs > 0);
    pending.clear();
  };
  worker.on('error', giveUp);
  worker.on('exit', giveUp);
  worker.on('message', (id: number) => {
    const timer = pending.get(id);
    if (!timer) return; // cleared meanwhile
    if (timer.periodMs > 0) timer.at += timer.periodMs;
    else pending.delete(id);
    timer.fn();
  });
  const arm = (fn: () => void, ms: number, periodic: boolean): number => {
    const id = nextId++;
    let slot = -1;
    if (!fallback) {
      for (let s = 0; s < SLOTS && slot < 0; s++) if (Atomics.load(m, at(s, 0)) === 0n) slot = s;
    }
    if (slot < 0) {
      onLibuv(id, fn, ms, periodic);
      return id;
    }
    const periodMs = periodic ? ms : 0;
    pending.set(id, { slot, fn, periodMs, at: performance.now() + ms });
    const start = process.hrtime.bigint();
    const periodPs = BigInt(Math.round(ms * 1e9));
    Atomics.store(m, at(slot, 1), BigInt(id));
    Atomics.store(m, at(slot, 2), start);
    Atomics.store(m, at(slot, 3), periodic ? periodPs : 0n);
    Atomics.store(m, at(slot, 0), start + (periodPs > 1000n ? periodPs / 1000n : 1n));
    Atomics.add(m, 0, 1n);
    Atomics.notify(m, 0);
    return id;
  };
  const clear = (handle: unknown) => {
    const id = handle as number;
    const timer = libuv.get(id);
    if (timer) {
      clearTimeout(timer);
      libuv.delete(id);
      return;
    }
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    // Empties the slot unless it holds another timer by now (the thread fired this one).
    if (Atomics.load(m, at(p.slot, 1)) === BigInt(id)) Atomics.store(m, at(p.slot, 0), 0n);
  };
  return {
    now: () => performance.now(),
    setTimeout: (fn, ms) => arm(fn, ms, false),
    setInterval: (fn, periodMs) => arm(fn, periodMs, true),
    clearTimeout: clear,
    close: async () => {
      fallback = true; // what is still pending is dropped, as with a cleared timer
      pending.clear();
      for (const timer of libuv.values()) clearTimeout(timer);
      libuv.clear();
      await worker.terminate();
    },
  };
}
