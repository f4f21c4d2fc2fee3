// Request/reply between the server processes of one platform. Over Redis pub/sub: each process
// listens on its own channel for requests and on a reply channel of its own; a correlation id
// pairs a reply with its request, and every request has a timeout. Without Redis the platform
// is one process, and the in-process bus serves only itself.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, ERRORS, type ErrorCode } from '../errors.js';
import { RoomError, type RoomErrorData } from '../match/worker-protocol.js';

export type BusHandler = (payload: unknown) => Promise<unknown>;

export interface Bus {
  readonly nodeId: string;
  /** Serves requests of `kind` addressed to this process (one handler per kind). */
  handle(kind: string, handler: BusHandler): void;
  /**
   * Asks one process and resolves with its handler's value. A handler's RoomError or AppError
   * comes back as the same class; a process that does not answer in time fails with
   * BusError `timeout`, one that nobody listens for with `unreachable`.
   */
  request(nodeId: string, kind: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

export class BusError extends Error {
  override name = 'BusError';
  constructor(
    readonly code: 'timeout' | 'unreachable' | 'no_handler' | 'remote' | 'closed',
    message: string,
  ) {
    super(message);
  }
}

type ErrorData =
  | { kind: 'room'; data: RoomErrorData }
  | { kind: 'app'; code: string; message: string }
  | { kind: 'other'; message: string };

function errorData(err: unknown): ErrorData {
  if (err instanceof RoomError) return { kind: 'room', data: err.toData() };
  if (err instanceof AppError) return { kind: 'app', code: err.code, message: err.message };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

function errorFrom(e: ErrorData, nodeId: string): Error {
  if (e.kind === 'room') return RoomError.fromData(e.data);
  if (e.kind === 'app' && e.code in ERRORS) return new AppError(e.code as ErrorCode, e.message);
  return new BusError('remote', `${nodeId}: ${e.message}`);
}

/** Runs a handler as a remote caller would see it (errors passed through the same codec). */
async function serve(
  handlers: Map<string, BusHandler>,
  kind: string,
  payload: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorData }> {
  const handler = handlers.get(kind);
  if (!handler) return { ok: false, error: { kind: 'other', message: `no handler for ${kind}` } };
  try {
    return { ok: true, value: (await handler(payload)) ?? null };
  } catch (err) {
    return { ok: false, error: errorData(err) };
  }
}

/** The bus of a platform of one process (no Redis): requests reach this process only. */
export class LocalBus implements Bus {
  private readonly handlers = new Map<string, BusHandler>();
  constructor(readonly nodeId: string) {}

  handle(kind: string, handler: BusHandler): void {
    this.handlers.set(kind, handler);
  }

  async request(nodeId: string, kind: string, payload: unknown): Promise<unknown> {
    if (nodeId !== this.nodeId) throw new BusError('unreachable', `no process ${nodeId}`);
    const reply = await serve(this.handlers, kind, payload);
    if (!reply.ok) throw errorFrom(reply.error, nodeId);
    return reply.value;
  }

  async close(): Promise<void> {}
}

const requestSchema = z.object({
  id: z.string().min(1).max(64),
  from: z.string().min(1).max(200),
  kind: z.string().min(1).max(64),
  payload: z.unknown(),
});
const replySchema = z.object({
  id: z.string().min(1).max(64),
  ok: z.boolean(),
  value: z.unknown().optional(),
  error: z.unknown().optional(),
});

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  nodeId: string;
}

export interface RedisBusOptions {
  url: string;
  /** The platform's key prefix (CACHE_KEY_PREFIX): channels are `${prefix}bus:…`. */
  prefix: string;
  nodeId: string;
  logger: Logger;
}

export class RedisBus implements Bus {
  readonly nodeId: string;
  private readonly handlers = new Map<string, BusHandler>();
  private readonly pending = new Map<string, Pending>();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private closed = false;
  /** Resolves once this process listens on its channels. */
  readonly ready: Promise<void>;

  constructor(private readonly o: RedisBusOptions) {
    this.nodeId = o.nodeId;
    // A dropped connection fails the commands caught in it; requests time out by themselves.
    const options = {
      maxRetriesPerRequest: 1,
      retryStrategy: (n: number) => Math.min(n * 200, 2000),
    };
    this.pub = new Redis(o.url, options);
    this.sub = new Redis(o.url, options);
    for (const r of [this.pub, this.sub])
      r.on('error', (err: Error) => o.logger.debug({ err }, 'bus: redis connection error'));
    this.sub.on('message', (channel: string, raw: string) => this.onMessage(channel, raw));
    this.ready = this.sub
      .subscribe(this.requestChannel(o.nodeId), this.replyChannel(o.nodeId))
      .then(() => undefined);
  }

  private requestChannel(nodeId: string) {
    return `${this.o.prefix}bus:node:${nodeId}`;
  }
  private replyChannel(nodeId: string) {
    return `${this.o.prefix}bus:reply:${nodeId}`;
  }

  handle(kind: string, handler: BusHandler): void {
    this.handlers.set(kind, handler);
  }

  async request(
    nodeId: string,
    kind: string,
    payload: unknown,
    timeoutMs: number,
  ): Promise<unknown> {
    if (this.closed) throw new BusError('closed', 'the bus is closed');
    if (nodeId === this.nodeId) {
      const reply = await serve(this.handlers, kind, payload);
      if (!reply.ok) throw errorFrom(reply.error, nodeId);
      return reply.value;
    }
    const id = randomUUID();
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BusError('timeout', `${nodeId} did not answer ${kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, nodeId });
    });
    const message = JSON.stringify({ id, from: this.nodeId, kind, payload });
    const settle = this.pending.get(id);
    try {
      const listeners = await this.pub.publish(this.requestChannel(nodeId), message);
      if (listeners === 0) throw new BusError('unreachable', `${nodeId} does not listen`);
    } catch (err) {
      if (settle) {
        clearTimeout(settle.timer);
        this.pending.delete(id);
        settle.reject(err instanceof Error ? err : new BusError('unreachable', String(err)));
      }
    }
    return answer;
  }

  private onMessage(channel: string, raw: string): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    if (channel === this.replyChannel(this.nodeId)) {
      const reply = replySchema.safeParse(json);
      if (!reply.success) return;
      const p = this.pending.get(reply.data.id);
      if (!p) return; // timed out already
      this.pending.delete(reply.data.id);
      clearTimeout(p.timer);
      if (reply.data.ok) p.resolve(reply.data.value ?? null);
      else p.reject(errorFrom(reply.data.error as ErrorData, p.nodeId));
      return;
    }
    const request = requestSchema.safeParse(json);
    if (!request.success) return;
    const { id, from, kind, payload } = request.data;
    serve(this.handlers, kind, payload)
      .then((reply) => this.pub.publish(this.replyChannel(from), JSON.stringify({ id, ...reply })))
      .catch((err: unknown) => this.o.logger.warn({ err, kind, from }, 'bus: reply not sent'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new BusError('closed', 'the bus is closed'));
    }
    this.pending.clear();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
