// Entry of a room worker process (see worker-spawn.ts). node-datachannel is loaded here,
// through the transport, never in the HTTP process: this process owns its peers.
import { ownThreads, raiseProcessPriority, scheduleRealtime } from './priority.js';
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
// ROOM_RT_PRIORITY: once the rooms have started (the clock thread exists, no peer does yet).
if (settings.realtimePriority > 0) {
  scheduleRealtime(settings.realtimePriority, ownThreads(process.pid), {
    log: (level, obj, msg) => post({ kind: 'log', level, obj, msg }),
  });
}
process.on('message', (message: HostMessage) => rooms.handle(message));

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
