// The main thread's end of one room worker: typed requests with timeouts, and events.
import type { Logger } from 'pino';
import type { RoomRunner } from './worker-spawn.js';
import {
  RoomError,
  type HostRequest,
  type ReplyValue,
  type WorkerEvent,
  type WorkerMessage,
} from './worker-protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface WorkerHandleOptions {
  /** Slot in the pool, for logs. */
  readonly index: number;
  readonly thread: RoomRunner;
  readonly logger: Logger;
  readonly onEvent: (event: WorkerEvent) => void;
  /** Once, when the thread died, failed to start or was killed; not after terminate(). */
  readonly onFailure: (handle: WorkerHandle) => void;
  readonly startTimeoutMs: number;
}

export class WorkerHandle {
  readonly index: number;
  /** Settles once: the worker said `ready`, or failed first. */
  readonly ready: Promise<void>;
  /** Resolves when the thread has ended (a replacement may bind its UDP port then). */
  readonly exited: Promise<void>;
  private readonly thread: RoomRunner;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: RoomError | undefined;
  private started = false;
  private settleReady: (failure?: RoomError) => void = () => undefined;

  constructor(private readonly o: WorkerHandleOptions) {
    this.index = o.index;
    this.thread = o.thread;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill('the room worker did not start').catch((err: unknown) =>
          o.logger.error(
            { err, worker: o.index },
            'could not end a room worker that did not start',
          ),
        );
      }, o.startTimeoutMs);
      this.settleReady = (failure) => {
        this.settleReady = () => undefined;
        clearTimeout(timer);
        if (failure) reject(failure);
        else resolve();
      };
    });
    this.ready.catch(() => undefined); // surfaced through request() and RoomHost.start()
    this.thread.onMessage((m) => this.receive(m));
    this.thread.onError((err) => this.fail(`worker error: ${err.message}`));
    this.exited = new Promise<void>((resolve) => {
      this.thread.onExit((code) => {
        this.fail(`worker exited with code ${code}`);
        resolve();
      });
    });
  }

  /** Not failed or terminated (it may still be starting). */
  /** The worker's own process id, when it runs in one. */
  get pid(): number | undefined {
    return this.thread.pid;
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  /**
   * When the worker last sent anything (a reply, an event, a log line): a worker whose event
   * loop runs sends something, a hung one nothing at all.
   */
  lastHeardAt = performance.now();

  /** Alive and started: it can take matches now. */
  get accepting(): boolean {
    return this.alive && this.started;
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
      this.pending.set(id, { resolve: resolve, reject, timer });
      this.thread.postMessage({ id, request });
    });
  }

  /** Stops the thread; no failure is reported for an exit we asked for. */
  async terminate(): Promise<void> {
    this.failure ??= new RoomError('closed', 'the room host is closed');
    this.settleReady(this.failure);
    await this.thread.terminate();
  }

  /** Ends a worker that stopped answering: reported as a failure, then the thread is ended. */
  async kill(why: string): Promise<void> {
    this.fail(why);
    await this.thread.kill();
  }

  // Every message, `ready` included, comes through here: a log line posted before `ready`
  // is just a log line.
  private receive(m: WorkerMessage): void {
    this.lastHeardAt = performance.now();
    if (m.kind === 'ready') {
      this.started = true;
      return this.settleReady();
    }
    if (m.kind === 'event') return this.o.onEvent(m.event);
    if (m.kind === 'log') return this.o.logger[m.level]({ worker: this.index, ...m.obj }, m.msg);
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
    this.o.logger.error({ worker: this.index }, why);
    this.settleReady(this.failure);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    this.pending.clear();
    this.o.onFailure(this);
  }
}
