// The main thread's end of one room worker: typed requests with timeouts, and events.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Rooms } from './rooms-runtime.js';
import {
  RoomError,
  type HostMessage,
  type HostRequest,
  type ReplyValue,
  type WorkerEvent,
  type WorkerMessage,
  type WorkerSettings,
} from './worker-protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Starts the worker thread. Compiled, it is worker.js beside this file. Under vitest or tsx
 * this module is TypeScript, and so is the worker; Node 20 ignores `--import tsx` in a
 * Worker's execArgv, so a tiny bootstrap registers tsx inside the thread, then loads it.
 */
function startWorker(workerData: WorkerSettings): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  }
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  const boot = `import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** What a handle needs of its thread: a Worker, or InlineRooms in the calling thread. */
type RoomThread = Pick<Worker, 'postMessage' | 'on' | 'once' | 'terminate'>;

/**
 * The same rooms as worker.ts, run in the CALLING thread behind the same messages: the
 * main-thread alternative the benchmark measures against the worker. Only when asked
 * (RoomHostOptions.inline): it loads node-datachannel into this thread.
 */
class InlineRooms extends EventEmitter {
  private readonly rooms: Promise<Rooms>;

  constructor(settings: WorkerSettings) {
    super();
    // Asynchronous like a thread's messages, so callers see the same ordering.
    const post = (m: WorkerMessage) => setImmediate(() => this.emit('message', m));
    this.rooms = import('./rooms-runtime.js').then(({ startRooms }) => startRooms(settings, post));
    this.rooms.catch((err: unknown) => {
      setImmediate(() => this.emit('error', err));
      setImmediate(() => this.emit('exit', 1));
    });
  }

  postMessage(message: HostMessage): void {
    void this.rooms.then((rooms) => rooms.handle(message));
  }

  async terminate(): Promise<number> {
    (await this.rooms.catch(() => undefined))?.close();
    setImmediate(() => this.emit('exit', 1));
    return 1;
  }
}

export class WorkerHandle {
  readonly ready: Promise<void>;
  private readonly worker: RoomThread;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: RoomError | undefined;

  constructor(
    readonly index: number,
    settings: WorkerSettings,
    private readonly logger: Logger,
    private readonly onEvent: (event: WorkerEvent) => void,
    private readonly onFailure: (handle: WorkerHandle) => void,
    startTimeoutMs: number,
    inline = false,
  ) {
    this.worker = inline
      ? (new InlineRooms(settings) as unknown as RoomThread)
      : startWorker(settings);
    this.ready = this.waitReady(startTimeoutMs);
    this.ready.catch(() => undefined); // surfaced through request() and RoomHost.start()
    this.worker.on('message', (m: WorkerMessage) => this.receive(m));
    this.worker.on('error', (err) => this.fail(`worker error: ${err.message}`));
    this.worker.on('exit', (code) => this.fail(`worker exited with code ${code}`));
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  async request<K extends HostRequest['kind']>(
    request: Extract<HostRequest, { kind: K }>,
    timeoutMs: number,
  ): Promise<ReplyValue[K]> {
    await this.ready;
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    return new Promise<ReplyValue[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RoomError('timeout', `${request.kind} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.worker.postMessage({ id, request });
    });
  }

  /** Stops the thread; no failure is reported for an exit we asked for. */
  async terminate(): Promise<void> {
    this.failure ??= new RoomError('closed', 'the room host is closed');
    await this.worker.terminate();
  }

  private waitReady(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RoomError('worker_died', 'the room worker did not start')),
        timeoutMs,
      );
      this.worker.once('message', (m: WorkerMessage) => {
        if (m.kind !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        reject(this.failure ?? new RoomError('worker_died', 'the room worker exited'));
      });
    });
  }

  private receive(m: WorkerMessage): void {
    if (m.kind === 'event') return this.onEvent(m.event);
    if (m.kind === 'log') return this.logger[m.level]({ worker: this.index, ...m.obj }, m.msg);
    if (m.kind !== 'reply') return;
    const pending = this.pending.get(m.id);
    if (!pending) return; // timed out already
    this.pending.delete(m.id);
    clearTimeout(pending.timer);
    if (m.ok) pending.resolve(m.value);
    else pending.reject(RoomError.fromData(m.error));
  }

  private fail(why: string): void {
    if (this.failure) return;
    this.failure = new RoomError('worker_died', why);
    this.logger.error({ worker: this.index }, why);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    this.pending.clear();
    this.onFailure(this);
  }
}
