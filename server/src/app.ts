// Builds the Express app from its dependencies. It never listens: main.ts does, and tests use
// supertest against the app directly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { adminRoutes } from './admin/routes.js';
import type { AdminService } from './admin/service.js';
import { authRoutes } from './auth/routes.js';
import type { AuthService } from './auth/service.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import { errorHandler, hasBody, notFound, refuseContentEncoding } from './http/errors.js';
import { healthRoutes, type Probe } from './http/health.js';
import { requestLog } from './http/request-log.js';
import { memoryLimitStores, type LimitStores } from './http/limit-store.js';
import { byIp, limiter } from './http/rate-limit.js';
import { RouteTable } from './http/route-table.js';
import { leaderboardRoutes } from './leaderboard/routes.js';
import type { LeaderboardService } from './leaderboard/service.js';
import { httpMetrics, loginMetrics, metricsRoutes } from './metrics/http.js';
import type { PlatformMetrics } from './metrics/metrics.js';
import type { ProfileService } from './players/profiles.js';
import type { DeadLetters } from './results/queue.js';
import { meRoutes, profileRoutes } from './players/routes.js';
import { signallingRoutes } from './signalling/routes.js';
import type { SignallingService } from './signalling/service.js';
import { BODY_MAX_BYTES } from '../../shared/src/limits.js';
import { iceServerRoutes } from './turn/routes.js';

export const BODY_LIMIT_BYTES = BODY_MAX_BYTES;

/** A third of the lease, at most 20 s: two renewals may fail before an open tab's lease lapses. */
export const presenceRenewMs = (leaseSeconds: number) => Math.min(leaseSeconds * 333, 20_000);

export interface AppDeps {
  config: Config;
  logger: Logger;
  auth: AuthService;
  probes: readonly Probe[];
  /** Matchmaking and signalling, on nodes that host matches. */
  signalling?: SignallingService;
  leaderboard?: LeaderboardService;
  profiles?: ProfileService;
  /**
   * The admin API; `matches` when this node hosts matches to show and end, `deadLetters` when
   * it can see the results that failed for good.
   */
  admin?: { service: AdminService; matches: boolean; deadLetters?: DeadLetters };
  /** Request metrics, and GET /metrics here unless METRICS_PORT serves it apart. */
  metrics?: PlatformMetrics;
  /** More /api routers, mounted at their paths (matchmaking, leaderboards, admin…). */
  api?: Readonly<Record<string, Router>>;
  /** The built web client; served with a fallback to index.html for client-side routes. */
  webRoot?: string;
  /** Where rate limits count: this process's memory unless given (Redis with many nodes). */
  limitStores?: LimitStores;
}

/**
 * Answers of the API hold a player's data or tokens: no cache may keep them (RFC 6749 5.1
 * for the token answers), so no ETag either.
 */
const noStoreApi: RequestHandler = (req, res, next) => {
  if (req.url.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
  next();
};

/**
 * Parses JSON bodies, after refusing an announced oversized body before reading it, whatever
 * its content type. A request without a body (most of them: GETs) skips both in one step.
 */
function jsonBodies(json: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    if (Number(req.get('content-length') ?? 0) > BODY_LIMIT_BYTES)
      return next(new AppError('payload_too_large'));
    json(req, res, next);
  };
}

export function createApp(d: AppDeps): express.Express {
  const app = express();
  const stores = d.limitStores ?? memoryLimitStores();
  // Only the configured number of proxy hops may set req.ip through X-Forwarded-For.
  app.set('trust proxy', d.config.TRUST_PROXY_HOPS > 0 ? d.config.TRUST_PROXY_HOPS : false);
  app.set('x-powered-by', false);
  // API answers are never cached (below); static files keep their own ETags (express.static).
  app.set('etag', false);
  // Local mode serves plain http on 127.0.0.1, where upgrading subresources to https breaks the page.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(requestLog(app, d.logger, ['/healthz', '/readyz', '/metrics']));
  if (d.metrics) app.use(httpMetrics(d.metrics));
  app.use(noStoreApi);
  app.use(refuseContentEncoding);
  const routes = new RouteTable(app);
  // Signalling parses its own bodies: an offer may be 16 KB by itself.
  if (d.signalling) {
    routes.mount(
      '/api/match',
      signallingRoutes(d.auth, d.signalling, d.config.RATE_LIMIT_SIGNAL_PER_MINUTE),
    );
  }
  app.use(jsonBodies(express.json({ limit: BODY_LIMIT_BYTES, inflate: false })));

  if (d.metrics) app.use('/api/auth/login', loginMetrics(d.metrics));
  routes.mount(
    '/api/auth',
    authRoutes(d.auth, {
      ipPerMinute: d.config.RATE_LIMIT_IP_PER_MINUTE,
      userPerMinute: d.config.RATE_LIMIT_USER_PER_MINUTE,
      userIpPerMinute: d.config.RATE_LIMIT_USER_IP_PER_MINUTE,
      stores,
      cookies: { local: d.config.mode.kind === 'local' },
      presenceRenewMs: presenceRenewMs(d.config.LEASE_SECONDS),
    }),
  );
  routes.mount('/api/me', meRoutes(d.auth));
  routes.mount('/api/ice-servers', iceServerRoutes(d.auth, d.config));
  const publicLimit = limiter({
    name: 'public-ip',
    perMinute: d.config.RATE_LIMIT_PUBLIC_PER_MINUTE,
    key: byIp,
    store: stores.storeFor('public-ip'),
  });
  if (d.leaderboard)
    routes.mount('/api/leaderboard', leaderboardRoutes(d.auth, d.leaderboard, publicLimit));
  if (d.profiles) routes.mount('/api/players', profileRoutes(d.profiles, publicLimit));
  if (d.admin) routes.mount('/api/admin', adminRoutes(d.auth, d.admin.service, d.admin));
  for (const [path, router] of Object.entries(d.api ?? {})) routes.mount(path, router);
  app.use('/api', notFound);
  // After the API: no API request passes through these.
  routes.mount('', healthRoutes(d.probes));
  if (d.metrics && d.config.METRICS_PORT === undefined) routes.mount('', metricsRoutes(d.metrics));

  if (d.webRoot && existsSync(join(d.webRoot, 'index.html'))) {
    const index = join(d.webRoot, 'index.html');
    app.use(express.static(d.webRoot, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(index));
  }
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
