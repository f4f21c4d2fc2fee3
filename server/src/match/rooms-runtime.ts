// The rooms of one thread behind the host's messages: the transport, the MatchWorker, and the
// dispatch of requests to it. worker.ts runs it in a worker thread; the benchmark's inline mode
// (RoomHostOptions.inline) runs it in the calling thread. It loads node-datachannel, so the main
// thread imports it only dynamically, and only when asked to.
import { createRtcServer, shutdownTransport } from '../transport/index.js';
import { MatchWorker } from './match-worker.js';
import { createScheduler } from './scheduler.js';
import { forwardingLogger } from './worker-logger.js';
import {
  RoomError,
  type HostMessage,
  type HostRequest,
  type WorkerMessage,
  type WorkerSettings,
} from './worker-protocol.js';

export interface Rooms {
  /** Runs one request and posts its reply. */
  handle(message: HostMessage): void;
  close(): void;
}

export function startRooms(settings: WorkerSettings, post: (m: WorkerMessage) => void): Rooms {
  const logger = forwardingLogger(post);
  const rtc = createRtcServer({
    udpPort: settings.udpPort,
    bindAddress: settings.bindAddress,
    publicIp: settings.publicIp,
    iceServers: settings.iceServers,
    logger,
  });
  const worker = new MatchWorker({
    settings,
    rtc,
    scheduler: createScheduler(),
    logger,
    emit: (event) => post({ kind: 'event', event }),
  });

  async function dispatch(request: HostRequest): Promise<unknown> {
    switch (request.kind) {
      case 'create':
        return worker.create(request.matchId, request.players);
      case 'end':
        return worker.end(request.matchId, request.reason);
      case 'stop':
        return worker.stop(request.timeoutMs);
      case 'stats':
        return worker.stats();
      case 'shutdown':
        rtc.close();
        shutdownTransport(); // or the native threads keep the process alive
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
    close: () => rtc.close(),
  };
}
