// Entry of a room worker process (see worker-spawn.ts). node-datachannel is loaded here,
// through the transport, never in the HTTP process: this process owns its peers.
import { performance } from 'node:perf_hooks';
import { OverloadGuard, ownThreads, raiseProcessPriority, scheduleThreads } from './priority.js';
import type { HostMessage, WorkerMessage, WorkerSettings } from './worker-protocol.js';

if (!process.send) throw new Error('worker-process.ts must run as a forked child process');

const settings = JSON.parse(process.argv[2] ?? '') as WorkerSettings;
// Before anything starts a thread (node-datachannel starts some as it loads), so that every
// thread of the rooms inherits it: priority.ts.
const priority = raiseProcessPriority(settings.nice);
const { startRooms } = await import('./rooms-runtime.js');

// Sends still on their way: an exit waits for them, or the last match results would be lost.
let unsent = 0;
let flushed: (() => void) | undefined;
function post(message: WorkerMessage): void {
  if (!process.connected) return;
  unsent++;
  process.send?.(message, undefined, {}, () => {
    if (--unsent === 0) flushed?.();
  });
}
function exitAfterFlush(code: number): void {
  const exit = () => process.exit(code);
  if (unsent === 0) return exit();
  flushed = exit;
  setTimeout(exit, 1_000).unref(); // the parent may be gone
}

const rooms = startRooms(settings, post);
if (priority.refused) {
  post({
    kind: 'log',
    level: 'info',
    obj: priority,
    msg: 'room process keeps its priority: a nice value below 0 needs CAP_SYS_NICE (ROOM_NICE)',
  });
}
if (settings.realtimePriority > 0) realtime(settings.realtimePriority);
process.on('message', (message: HostMessage) => rooms.handle(message));

/**
 * ROOM_RT_PRIORITY: once the rooms have started (the clock thread exists, no peer does yet),
 * this process's own threads go SCHED_FIFO (priority.ts); an overload puts them back to normal
 * scheduling until the process is calm again.
 */
function realtime(priority: number): void {
  const tids = ownThreads(process.pid);
  const outcome = scheduleThreads(tids, priority);
  if (outcome.refused) {
    const msg =
      'room process keeps normal scheduling: SCHED_FIFO needs CAP_SYS_NICE or an RLIMIT_RTPRIO this high, and chrt (ROOM_RT_PRIORITY)';
    return post({ kind: 'log', level: 'warn', obj: outcome, msg });
  }
  post({ kind: 'log', level: 'info', obj: outcome, msg: 'room process threads run SCHED_FIFO' });
  const guard = new OverloadGuard();
  let last = performance.eventLoopUtilization();
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const action = guard.observe(busy);
    if (!action) return;
    const set = scheduleThreads(tids, action === 'demote' ? 0 : priority);
    const obj = { ...set, busy: Math.round(busy * 100) / 100 };
    if (action === 'demote') {
      post({
        kind: 'log',
        level: 'warn',
        obj,
        msg: 'room process overloaded: normal scheduling until it is calm',
      });
    } else {
      post({
        kind: 'log',
        level: 'info',
        obj,
        msg: 'room process calm again: threads run SCHED_FIFO',
      });
    }
  }, 1_000).unref();
}

// The parent tells players why before their rooms stop, so a Ctrl-C that reaches the whole
// process group must not end this process first. It ends when the parent lets go or dies.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => {
  rooms.close(); // closes the peers this process still holds
  process.exit(0);
});

// A failure nobody caught ends this process, after the players are told and the peers closed;
// the parent then starts a fresh one.
let failing = false;
function fail(cause: unknown, origin: string): void {
  if (failing) return;
  failing = true;
  rooms
    .crash(cause, origin)
    .catch(() => undefined) // the transport is as closed as it can be; exit regardless
    .finally(() => exitAfterFlush(1));
}
process.on('uncaughtException', (err) => fail(err, 'uncaught exception'));
process.on('unhandledRejection', (reason) => fail(reason, 'unhandled rejection'));
