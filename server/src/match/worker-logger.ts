// A pino-compatible logger for the worker thread that hands each entry to the main
// thread, where the real logger (level, redaction, destination) lives.
import type { LogLevel, WorkerMessage } from './worker-protocol.js';
import type { TransportLogger } from '../transport/index.js';

export function forwardingLogger(post: (m: WorkerMessage) => void): TransportLogger {
  const at =
    (level: LogLevel) =>
    (objOrMsg: unknown, msg?: unknown): void => {
      const isObj = typeof objOrMsg === 'object' && objOrMsg !== null;
      post({
        kind: 'log',
        level,
        obj: isObj ? serializable(objOrMsg) : {},
        msg: text(isObj ? msg : objOrMsg),
      });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// Errors do not survive structured clone with their message; flatten them first.
function serializable(obj: object): object {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    out[key] =
      value instanceof Error
        ? { type: value.name, message: value.message, stack: value.stack }
        : value;
  }
  return out;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
