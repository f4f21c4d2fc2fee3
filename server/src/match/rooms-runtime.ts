// The rooms of one thread behind the host's messages: the transport, the MatchWorker, and the
// dispatch of requests to it. worker.ts runs it in a worker thread; the benchmark's inline
// rooms (test/bench) run it in the calling thread. It loads node-datachannel, so the main
// thread imports it only dynamically, and only when asked to.
import { createRtcServer, shutdownTransport } from '../transport/index.js';
import { MatchWorker } from './match-worker.js';
import { startClockThread } from './clock-thread.js';
import { createScheduler } from './scheduler.js';
import { forwardingLogger } from './worker-logger.js';
import {
  RoomError,
  type HostMessage,
  type HostRequest,
  type WorkerFault,
  type WorkerMessage,
  type WorkerSettings,
} from './worker-protocol.js';

export interface Rooms {
  /** Runs one request and posts its reply. */
  handle(message: HostMessage): void;
  /**
   * This thread failed (uncaught exception, unhandled rejection): logs the cause, tells every
   * player server_error, closes every native peer. The thread may then exit safely: a thread
   * that exits with live native peers aborts the whole process.
   */
  crash(cause: unknown, origin: string): Promise<void>;
  close(): void;
}

// Bounded: a crashing worker says goodbye, but the supervisor is waiting to restart it.
const CRASH_FAREWELL_MS = 1_000;

export function startRooms(
  settings: WorkerSettings,
  post: (m: WorkerMessage) => void,
  o: { clockThread?: boolean } = {},
): Rooms {
  const logger = forwardingLogger(post);
  const rtc = createRtcServer({
    udpPort: settings.udpPort,
    bindAddress: settings.bindAddress,
    publicIp: settings.publicIp,
    iceServers: settings.iceServers,
    logger,
  });
  // In a room process the 60 Hz loop wakes on the clock thread's finer timers (one-shot timers
  // stay on libuv). Not where rooms share the thread with HTTP (the bench's inline rooms): there
  // the wake-up, an I/O event, would queue behind the requests, where libuv runs timers first.
  const clock = o.clockThread === false ? undefined : startClockThread();
  const worker = new MatchWorker({
    settings,
    rtc,
    scheduler: createScheduler(undefined, clock),
    logger,
    emit: (event) => post({ kind: 'event', event }),
  });

  async function dispatch(request: HostRequest): Promise<unknown> {
    switch (request.kind) {
      case 'create':
        return worker.create(request.matchId, request.players, request.offers);
      case 'end':
        return worker.end(request.matchId, request.reason);
      case 'rejoin':
        return worker.rejoin(request.matchId, request.userId, request.offer);
      case 'stop':
        return worker.stop(request.timeoutMs);
      case 'stats':
        return worker.stats();
      case 'load':
        return worker.load();
      case 'ping':
        return {};
      case 'fault':
        if (!settings.faultInjection)
          throw new RoomError('invalid_input', 'fault injection is off');
        setImmediate(() => injectFault(request.fault));
        return {};
      case 'shutdown':
        rtc.close();
        shutdownTransport(); // or the native threads keep the process alive
        await clock?.close();
        return {};
    }
  }

  post({ kind: 'ready' });
  return {
    handle: ({ id, request }) => {
      dispatch(request).then(
        (value) => post({ kind: 'reply', id, ok: true, value }),
        (err: unknown) => {
          const failure =
            err instanceof RoomError
              ? err
              : new RoomError('internal', err instanceof Error ? err.message : String(err));
          if (failure.code === 'internal')
            logger.error({ err, request: request.kind }, 'worker request failed');
          post({ kind: 'reply', id, ok: false, error: failure.toData() });
        },
      );
    },
    crash: async (cause, origin) => {
      logger.error({ err: cause, origin }, 'room worker failed; ending its matches');
      try {
        await worker.stop(CRASH_FAREWELL_MS, 'server_error');
      } finally {
        rtc.close();
        shutdownTransport();
      }
    },
    close: () => rtc.close(),
  };
}

// Test-only failures (WorkerSettings.faultInjection), each one a way real code could fail.
function injectFault(fault: WorkerFault): void {
  if (fault === 'throw') throw new Error('injected fault: uncaught exception');
  // eslint-disable-next-line @typescript-eslint/no-floating-promises -- the unhandled rejection is the fault
  if (fault === 'reject') void Promise.reject(new Error('injected fault: unhandled rejection'));
  // Blocks this thread's event loop for good, as an endless loop would, without burning CPU.
  else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
