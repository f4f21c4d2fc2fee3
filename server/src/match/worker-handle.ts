// The main thread's end of one room worker: typed requests with timeouts, and events.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type {
  HostRequest,
  ReplyValue,
  WorkerEvent,
  WorkerMessage,
  WorkerSettings,
} from './worker-protocol.js';

/** A failed room operation, with a code the caller can map (see RoomHost docs). */
export class RoomHostError extends Error {
  override name = 'RoomHostError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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

export class WorkerHandle {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: RoomHostError | undefined;

  constructor(
    readonly index: number,
    settings: WorkerSettings,
    private readonly logger: Logger,
    private readonly onEvent: (event: WorkerEvent) => void,
    private readonly onFailure: (handle: WorkerHandle) => void,
    startTimeoutMs: number,
  ) {
    this.worker = startWorker(settings);
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
        reject(new RoomHostError('timeout', `${request.kind} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.worker.postMessage({ id, request });
    });
  }

  /** Stops the thread; no failure is reported for an exit we asked for. */
  async terminate(): Promise<void> {
    this.failure ??= new RoomHostError('closed', 'the room host is closed');
    await this.worker.terminate();
  }

  private waitReady(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RoomHostError('worker_failed', 'the room worker did not start')),
        timeoutMs,
      );
      this.worker.once('message', (m: WorkerMessage) => {
        if (m.kind !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        reject(this.failure ?? new RoomHostError('worker_failed', 'the room worker exited'));
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
    else pending.reject(new RoomHostError(m.error.code, m.error.message));
  }

  private fail(why: string): void {
    if (this.failure) return;
    this.failure = new RoomHostError('worker_failed', why);
    this.logger.error({ worker: this.index }, why);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    this.pending.clear();
    this.onFailure(this);
  }
}
