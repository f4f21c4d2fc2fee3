// A ticket's event stream that survives a dropped connection: when the stream breaks or ends
// without a verdict, it is opened again with the last event's id as Last-Event-ID, and the
// ticket keeps its place in the queue meanwhile (the server never cancels on a closed stream).
import { ApiError, type ApiClient, type MatchEvent } from './api-client.js';

export type Verdict = Extract<MatchEvent, { type: 'matched' }>;

export interface TicketStreamOptions {
  /** The access token to use now (a refreshed one after a refresh). */
  token(): string;
  /** Each `waiting` event (first connect, and every reconnect). */
  onWaiting?(): void;
  /** A drop, before reconnecting: which attempt this is (1, 2, …). */
  onDrop?(attempt: number, cause: unknown): void;
  /** How long to keep reconnecting without hearing from the server (default 30 s). */
  giveUpMs?: number;
  /** The wait before reconnect n (default 250 ms doubling to 4 s). */
  backoffMs?(attempt: number): number;
  /** The clock of giveUpMs (default performance.now). */
  now?: () => number;
}

const defaultBackoff = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 4000);

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), {
      once: true,
    });
  });
}

/** A network failure (worth reconnecting for), as opposed to the server's refusal. */
const isDrop = (e: unknown) => !(e instanceof ApiError) || e.code === 'unreachable';

/**
 * Reads the ticket's stream until `matched`; `cancelled` and `failed` throw as ApiError codes,
 * and so does a refusal to reopen (401, 404). After `giveUpMs` of failed reconnects it throws
 * `unreachable`.
 */
export async function awaitVerdict(
  api: ApiClient,
  ticketId: string,
  signal: AbortSignal,
  o: TicketStreamOptions,
): Promise<Verdict> {
  const now = o.now ?? (() => performance.now());
  let lastId: string | undefined;
  let attempt = 0;
  let heardAt = now();
  for (;;) {
    try {
      for await (const ev of api.matchEvents(o.token(), ticketId, signal, lastId)) {
        attempt = 0;
        heardAt = now();
        if (ev.id !== undefined) lastId = ev.id;
        if (ev.type === 'waiting') o.onWaiting?.();
        if (ev.type === 'matched') return ev;
        if (ev.type === 'cancelled')
          throw new ApiError(0, 'cancelled', 'The ticket was cancelled.');
        if (ev.type === 'failed') throw new ApiError(0, ev.code, ev.message);
      }
      // Ended with no verdict: a proxy's idle timeout, a server restart. Reconnect.
      if (signal.aborted) throw signal.reason;
      o.onDrop?.(++attempt, new Error('the event stream ended'));
    } catch (e) {
      if (signal.aborted || !isDrop(e)) throw e;
      o.onDrop?.(++attempt, e);
    }
    if (now() - heardAt > (o.giveUpMs ?? 30_000))
      throw new ApiError(0, 'unreachable', 'The event stream dropped and did not come back.');
    await pause((o.backoffMs ?? defaultBackoff)(attempt), signal);
  }
}
