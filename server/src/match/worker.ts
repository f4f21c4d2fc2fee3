// Entry of a room worker thread. node-datachannel is loaded here (through the transport),
// never in the main thread: this thread owns its peers.
import { parentPort, workerData } from 'node:worker_threads';
import { startRooms } from './rooms-runtime.js';
import type { HostMessage, WorkerSettings } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const rooms = startRooms(workerData as WorkerSettings, (message) => port.postMessage(message));
port.on('message', (message: HostMessage) => rooms.handle(message));
