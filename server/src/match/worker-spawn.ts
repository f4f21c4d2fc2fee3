// What runs under a WorkerHandle: a room worker in its own child process. A process, not a
// worker thread, because node-datachannel 0.33 works in ONE JavaScript environment per process,
// for the life of the process: in a second thread (even after the first one exited) it
// segfaults or aborts, and a thread that exits with live peers aborts the whole process. So a
// dead thread could not be replaced; a child process can be killed and started again at will,
// and whatever libdatachannel does inside it never takes the HTTP process down.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { roomProcessEnv } from '../config.js';
import type { HostMessage, WorkerMessage, WorkerSettings } from './worker-protocol.js';

/** What a WorkerHandle needs of whatever runs its rooms. */
export interface RoomRunner {
  /** The OS process running the rooms, when it is one of its own (for /proc readings). */
  readonly pid?: number;
  postMessage(message: HostMessage): void;
  onMessage(cb: (message: WorkerMessage) => void): void;
  onError(cb: (err: Error) => void): void;
  onExit(cb: (code: number) => void): void;
  /** Ends it after the `shutdown` request (its native peers are closed). */
  terminate(): Promise<unknown>;
  /** Ends one that no longer answers, at once. */
  kill(): Promise<unknown>;
}

/** Starts a RoomRunner for the given settings (a worker process, or the bench's inline rooms). */
export type StartRoomRunner = (settings: WorkerSettings) => RoomRunner;

/** A worker that does not exit this long after being let go is killed. */
const EXIT_GRACE_MS = 5_000;

/** The production RoomRunner: worker-process.ts in a child process, typed messages over IPC. */
export const startWorkerProcess: StartRoomRunner = (settings) => {
  // Compiled, the entry is a .js beside this file; from source (tsx, vitest) it is TypeScript.
  const fromSource = import.meta.url.endsWith('.ts');
  const ext = fromSource ? 'ts' : 'js';
  const entry = fileURLToPath(new URL(`./worker-process.${ext}`, import.meta.url));
  const child = fork(entry, [JSON.stringify(settings)], {
    // A server run under --cpu-prof profiles its room process too.
    execArgv: [
      ...(fromSource ? ['--import', import.meta.resolve('tsx')] : []),
      ...process.execArgv.filter((a) => a.startsWith('--cpu-prof')),
    ],
    serialization: 'advanced', // structured clone, as between threads
    env: roomProcessEnv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (cb) => child.on('message', (m) => cb(m as WorkerMessage)),
    onError: (cb) => child.on('error', cb),
    onExit: (cb) => child.on('exit', (code, signal) => cb(code ?? (signal ? 128 : 1))),
    terminate: async () => {
      if (gone()) return;
      if (child.connected) child.disconnect(); // the worker exits when its parent lets go
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
};
