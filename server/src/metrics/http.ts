// The HTTP side of metrics: latency per route pattern, login outcomes, and GET /metrics.
import express, { Router, type RequestHandler } from 'express';
import { routeLabel } from '../http/route-table.js';
import type { PlatformMetrics } from './metrics.js';

/** Times every request; the label is the matched route pattern, known once it has answered. */
export function httpMetrics(m: PlatformMetrics): RequestHandler {
  return (req, res, next) => {
    const end = m.httpDuration.startTimer();
    // 'close' comes for finished and aborted responses alike (and ends SSE streams).
    res.once('close', () => {
      end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
    });
    next();
  };
}

/** Counts each login by outcome: `ok`, or the error code it answered with. */
export function loginMetrics(m: PlatformMetrics): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'POST') {
      res.once('finish', () => {
        const code = res.locals.errorCode as string | undefined;
        m.logins.inc({ outcome: res.statusCode < 400 ? 'ok' : (code ?? String(res.statusCode)) });
      });
    }
    next();
  };
}

/** GET /metrics in the Prometheus text format. */
export function metricsRoutes(m: PlatformMetrics): Router {
  const r = Router();
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', m.registry.contentType).send(await m.registry.metrics());
  });
  return r;
}

/** A separate app serving only /metrics, for METRICS_PORT (see docs/architecture.md). */
export function metricsApp(m: PlatformMetrics): express.Express {
  const app = express();
  app.set('x-powered-by', false);
  app.use(metricsRoutes(m));
  return app;
}
