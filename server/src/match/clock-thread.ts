// Wake-ups with sub-millisecond precision for the rooms' fixed-rate loops. libuv's timers count
// whole milliseconds (its clock is truncated to the millisecond, and a 16.67 ms wait becomes a
// 16 ms timer and then a 1 ms one), so a 60 Hz loop on setTimeout starts its ticks 0.6-1 ms
// late at p50. A helper thread sleeps on a futex (Atomics.wait, whose timeout is fractional)
// until the earliest deadline and posts the wake-up; the main thread's event loop handles it as
// soon as it is idle, so network callbacks are never held back, as they would be by blocking or
// spinning the main thread itself. The deadlines live in shared memory: the thread never runs
// an event loop of its own, and each wake-up costs one futex wake and one message. It loads
// nothing but this code (node-datachannel lives in one environment per process, the main one).
import { Worker } from 'node:worker_threads';
import type { TimerApi } from './scheduler.js';

/** Deadlines pending at once: one per periodic loop (60 Hz ticks, pings), with room to spare. */
const SLOTS = 8;

// The shared memory, as BigInt64: [0] a generation, bumped (and notified) when a deadline is
// set; then per slot [deadline ns on process.hrtime.bigint(), 0 = empty; id of its timer].
// Plain JavaScript, evaluated in the thread: no loader or build step is involved.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const m = new BigInt64Array(workerData);
const slots = ${SLOTS};
for (;;) {
  const generation = Atomics.load(m, 0);
  const now = process.hrtime.bigint();
  let first = 0n;
  const due = [];
  for (let i = 0; i < slots; i++) {
    const at = Atomics.load(m, 1 + 2 * i);
    if (at === 0n) continue;
    if (at <= now) {
      const id = Atomics.load(m, 2 + 2 * i);
      if (Atomics.compareExchange(m, 1 + 2 * i, at, 0n) === at) due.push({ at, id });
    } else if (first === 0n || at < first) first = at;
  }
  // Several due at once (the thread was late): in the order of their deadlines.
  due.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const { id } of due) parentPort.postMessage(Number(id));
  const waitMs = first === 0n ? Infinity : Number(first - now) / 1e6;
  Atomics.wait(m, 0, generation, waitMs);
}
`;

export interface ClockThread extends TimerApi {
  /** Ends the thread (pending wake-ups are dropped). */
  close(): Promise<void>;
}

/**
 * TimerApi whose setTimeout is served by the clock thread. Meant for the few long-lived periodic
 * loops (one pending wake-up each); one-shot timers stay on libuv, and so does any timer beyond
 * the thread's slots.
 */
export function startClockThread(): ClockThread {
  const memory = new SharedArrayBuffer(8 * (1 + 2 * SLOTS));
  const m = new BigInt64Array(memory);
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: memory });
  worker.unref(); // never what keeps the process alive
  const pending = new Map<number, { slot: number; fn: () => void; at: number }>();
  let nextId = 1;
  // A thread that failed must not freeze the loops it served: they go on on libuv's timers.
  let fallback = false;
  const giveUp = () => {
    if (fallback) return;
    fallback = true;
    for (const { fn, at } of pending.values()) setTimeout(fn, Math.max(0, at - performance.now()));
    pending.clear();
  };
  worker.on('error', giveUp);
  worker.on('exit', giveUp);
  worker.on('message', (id: number) => {
    const timer = pending.get(id);
    if (!timer) return; // cleared meanwhile
    pending.delete(id);
    timer.fn();
  });
  const freeSlot = (): number => {
    for (let slot = 0; slot < SLOTS; slot++) if (Atomics.load(m, 1 + 2 * slot) === 0n) return slot;
    return -1;
  };
  return {
    now: () => performance.now(),
    setTimeout(fn, ms) {
      const slot = fallback ? -1 : freeSlot();
      if (slot < 0) return setTimeout(fn, ms);
      const id = nextId++;
      pending.set(id, { slot, fn, at: performance.now() + ms });
      Atomics.store(m, 2 + 2 * slot, BigInt(id));
      const at = process.hrtime.bigint() + BigInt(Math.max(1, Math.round(ms * 1e6)));
      Atomics.store(m, 1 + 2 * slot, at);
      Atomics.add(m, 0, 1n);
      Atomics.notify(m, 0);
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle !== 'number') return clearTimeout(handle as NodeJS.Timeout);
      const timer = pending.get(handle);
      if (!timer) return;
      pending.delete(handle);
      // Empties the slot unless the thread fired it already (the message is then ignored).
      if (Atomics.load(m, 2 + 2 * timer.slot) === BigInt(handle)) {
        Atomics.store(m, 1 + 2 * timer.slot, 0n);
      }
    },
    close: async () => {
      fallback = true; // what is still pending is dropped, as with a cleared timer
      pending.clear();
      await worker.terminate();
    },
  };
}
