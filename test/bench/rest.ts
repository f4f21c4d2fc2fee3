// Figures 5 (the load) and 6: autocannon in its own process against GET /api/me with a
// logged-in token; sequential logins and logouts of one account; and, to calibrate, the same
// autocannon against a bare Node HTTP server and against Express with helmet alone, on this
// machine, in this run.
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import express from 'express';
import helmet from 'helmet';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiError } from '../../shared/src/net/api-client.js';
import { jsonLines, run } from './children.js';
import { round, summarize, type Summary } from './stats.js';

export interface LoadFigures {
  readonly connections: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
}

interface AutocannonJson {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
}

/** autocannon's CLI in a child process; resolves when its `seconds` are over. */
export async function autocannon(
  url: string,
  o: { connections: number; seconds: number; token?: string },
): Promise<LoadFigures> {
  const args = ['node_modules/autocannon/autocannon.js', '-j', '-c', String(o.connections)];
  args.push('-d', String(o.seconds));
  if (o.token) args.push('-H', `authorization=Bearer ${o.token}`);
  const { stdout, stderr, code } = await run([...args, url], (o.seconds + 30) * 1000).done;
  const [r] = jsonLines<AutocannonJson>(stdout);
  if (!r) throw new Error(`autocannon failed (${code}): ${stderr}`);
  return {
    connections: o.connections,
    seconds: o.seconds,
    requestsPerSecond: round(r['2xx'] / r.duration, 0),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** What a calibration server is: node:http alone, or Express with helmet's headers. */
export type Calibration = 'node' | 'express';

function calibrationHandler(kind: Calibration): RequestListener {
  if (kind === 'node') {
    return (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    };
  }
  const app = express();
  app.use(helmet());
  app.get('/', (_req, res) => void res.json({ ok: true }));
  return app;
}

/**
 * The same load against a server in this runner process (idle meanwhile): bare node:http, the
 * ceiling this machine and autocannon allow; Express + helmet, the floor of any Express API
 * (the "9,700 req/s for Express + helmet alone on this machine" was this figure). The
 * /api/me figure is read against both, since machines of one kind differ by 3× here.
 */
export async function calibrate(
  o: { connections: number; seconds: number },
  kind: Calibration = 'node',
): Promise<LoadFigures> {
  const server = createServer(calibrationHandler(kind));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await autocannon(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, o);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

export interface Account {
  readonly username: string;
  readonly password: string;
}

/** Signs up (or reuses) an account and logs in; the access token. */
export async function loggedIn(api: ApiClient, a: Account): Promise<string> {
  await api.signup(a.username, a.password).catch((e: unknown) => {
    if (!(e instanceof ApiError && e.code === 'username_taken')) throw e;
  });
  return (await api.login(a.username, a.password)).accessToken;
}

/** `n` logins, each followed by its logout, one at a time: what one user's click costs. */
export async function loginLatency(
  api: ApiClient,
  a: Account,
  n: number,
): Promise<{ login: Summary; logout: Summary }> {
  await loggedIn(api, a).then((t) => api.logout(t));
  const login: number[] = [];
  const logout: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const { accessToken } = await api.login(a.username, a.password);
    const t1 = performance.now();
    await api.logout(accessToken);
    login.push(t1 - t0);
    logout.push(performance.now() - t1);
  }
  return { login: summarize(login), logout: summarize(logout) };
}

/**
 * Signs up every account that does not exist yet, a few at a time: a benchmark measures
 * play, not a storm of sign-ups (the bots' own --signup then finds the account taken).
 */
export async function ensureAccounts(
  api: ApiClient,
  usernames: readonly string[],
  password: string,
  concurrency = 4,
): Promise<void> {
  const queue = [...usernames];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      await api.signup(name, password).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.code === 'username_taken')) throw e;
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
