// One log line per request, as pino-http writes it (`request completed` with req, res and
// responseTime; `request errored` at error for a 5xx), and `req.log` for handlers. Measured
// against pino-http 11 on GET /api/me (docs/performance.md, round 7): pino-http built a child
// logger per request, serialising and redacting the request into it even at a level that logs
// nothing, about a tenth of the request's CPU. Here `req.log` is a getter on the app's request
// prototype, made on first use, so a request that logs nothing costs an id and one listener.
import { randomUUID } from 'node:crypto';
import type { Express, RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id, also sent as X-Request-Id. */
    id: string;
    /** The app's logger bound to this request (`req`: id, method, url). */
    readonly log: Logger;
  }
}

const LOGGER = Symbol('request logger');

interface Logged {
  id: string;
  method: string;
  originalUrl: string;
  [LOGGER]?: Logger;
}

// originalUrl: a mounted router trims req.url while it runs.
const reqView = (req: Logged) => ({ id: req.id, method: req.method, url: req.originalUrl });

/**
 * Gives every request an id (X-Request-Id) and `req.log`, and logs each one as it ends: at
 * error for a 5xx, at info otherwise (`request aborted` when the client left first). Paths in
 * `quiet` are not logged when they succeed (probes, scrapes).
 */
export function requestLog(app: Express, logger: Logger, quiet: readonly string[]): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Logged): Logger {
      return (this[LOGGER] ??= logger.child({ req: reqView(this) }));
    },
  });
  const skip = new Set(quiet);
  return (req, res, next) => {
    const id = randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    if (logger.level === 'silent') return next();
    const start = Date.now();
    const quietPath = skip.has(req.url);
    res.once('close', () => {
      const failed = res.statusCode >= 500;
      if (!failed && (quietPath || !logger.isLevelEnabled('info'))) return;
      const fields = {
        req: reqView(req),
        res: { status: res.statusCode },
        responseTime: Date.now() - start,
      };
      if (failed) logger.error(fields, 'request errored');
      else logger.info(fields, res.writableFinished ? 'request completed' : 'request aborted');
    });
    next();
  };
}
