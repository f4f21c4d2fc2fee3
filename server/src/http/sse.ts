// Server-sent events: the push channel of signalling. One response stays open; each event is
// written as it happens, and a comment line every 15 s keeps proxies from closing it.
import type { Response } from 'express';

export interface SseStream {
  /** Writes one event; `id` lets a client that reconnects say what it saw (Last-Event-ID). */
  send(event: string, data: unknown, id?: string): void;
  end(): void;
  /** Runs when the client goes away or end() is called. */
  onClose(cb: () => void): void;
}

export function openSse(res: Response, keepAliveMs = 15_000): SseStream {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const timer = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  timer.unref();
  const closers: (() => void)[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    for (const cb of closers) cb();
  };
  res.on('close', close);
  return {
    send(event, data, id) {
      if (closed) return;
      const idLine = id === undefined ? '' : `id: ${id}\n`;
      res.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      close();
      res.end();
    },
    onClose: (cb) => void closers.push(cb),
  };
}
