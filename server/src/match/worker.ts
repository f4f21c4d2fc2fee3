// Entry of a room worker thread. node-datachannel is loaded here (through the transport),
// never in the main thread: this thread owns its peers.
import { parentPort, workerData } from 'node:worker_threads';
import { createRtcServer, shutdownTransport } from '../transport/index.js';
import { MatchError, MatchWorker } from './match-worker.js';
import { createScheduler } from './scheduler.js';
import { forwardingLogger } from './worker-logger.js';
import type { HostMessage, HostRequest, WorkerMessage, WorkerSettings } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const settings = workerData as WorkerSettings;
const post = (message: WorkerMessage) => port.postMessage(message);
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

port.on('message', ({ id, request }: HostMessage) => {
  dispatch(request).then(
    (value) => post({ kind: 'reply', id, ok: true, value }),
    (err: unknown) => {
      const code = err instanceof MatchError ? err.code : 'internal';
      if (code === 'internal')
        logger.error({ err, request: request.kind }, 'worker request failed');
      const message = err instanceof Error ? err.message : String(err);
      post({ kind: 'reply', id, ok: false, error: { code, message } });
    },
  );
});

post({ kind: 'ready' });
