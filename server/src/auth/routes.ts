// POST /api/auth/{signup,login,refresh,logout}: parse, call the service, answer.
import { Router, type RequestHandler, type Response } from 'express';
import { AppError } from '../errors.js';
import { authenticate, caller } from '../http/authenticate.js';
import { byBodyUsername, byBodyUsernameAndIp, byIp, limiter } from '../http/rate-limit.js';
import type { LimitStores } from '../http/limit-store.js';
import { openSse } from '../http/sse.js';
import { parse } from '../http/validate.js';
import {
  clearRefreshCookie,
  readRefreshCookie,
  requireSameOrigin,
  setRefreshCookie,
  type CookiePolicy,
} from './refresh-cookie.js';
import { credentials, MIN_PASSWORD, refreshBody } from './schemas.js';
import type { AuthService } from './service.js';

export interface AuthRouteLimits {
  ipPerMinute: number;
  /** Failed logins per username, from every client together: the looser limit. */
  userPerMinute: number;
  /** Failed logins per (username, client IP): the strict one. */
  userIpPerMinute: number;
  /** Where each limiter counts (shared across nodes with Redis). */
  stores: LimitStores;
  /** How the refresh cookie is set (Secure except local mode over http on loopback). */
  cookies: CookiePolicy;
  /** How often an open presence stream renews its session's lease (well inside the lease). */
  presenceRenewMs: number;
}

// Only answers that mean "a guess was wrong" use up the per-name quotas, so the right password
// never locks anyone out, and a stranger's guesses from one IP lock out only that IP.
const GUESS_FAILED = new Set(['wrong_password', 'unknown_user', 'invalid_credentials']);
const guessFailed = (res: Response) => GUESS_FAILED.has(String(res.locals.errorCode));

const bearerOf = (header: string | undefined) => (header ?? '').replace(/^Bearer /, '');

export function authRoutes(auth: AuthService, limits: AuthRouteLimits): Router {
  const r = Router();
  const perIp = (name: string): RequestHandler =>
    limiter({
      name,
      perMinute: limits.ipPerMinute,
      key: byIp,
      store: limits.stores.storeFor(name),
    });

  r.post('/signup', perIp('signup-ip'), async (req, res) => {
    const { username, password } = parse(credentials, req.body);
    if (password.length < MIN_PASSWORD) throw new AppError('weak_password');
    res.status(201).json(await auth.signup(username, password));
  });

  r.post(
    '/login',
    perIp('login-ip'),
    limiter({
      name: 'login-user-ip',
      perMinute: limits.userIpPerMinute,
      key: byBodyUsernameAndIp,
      counts: guessFailed,
      store: limits.stores.storeFor('login-user-ip'),
    }),
    limiter({
      name: 'login-user',
      perMinute: limits.userPerMinute,
      key: byBodyUsername,
      counts: guessFailed,
      store: limits.stores.storeFor('login-user'),
    }),
    async (req, res) => {
      const { username, password } = parse(credentials, req.body);
      const t = await auth.login(username, password);
      // The browser keeps this cookie; a bot or script reads the token from the body.
      setRefreshCookie(req, res, limits.cookies, t);
      res.json({
        username: t.username,
        accessToken: t.accessToken,
        idToken: t.idToken,
        refreshToken: t.refreshToken,
        expiresIn: t.expiresIn,
      });
    },
  );

  // A body token (bots, scripts) or, from a page of this site, the cookie (the browser).
  r.post('/refresh', perIp('refresh-ip'), async (req, res) => {
    const body: unknown = req.body;
    if (typeof body === 'object' && body !== null && 'refreshToken' in body) {
      const { username, refreshToken } = parse(refreshBody, body);
      res.json(await auth.refresh(username, refreshToken));
      return;
    }
    requireSameOrigin(req);
    const session = readRefreshCookie(req);
    if (!session) throw new AppError('unauthorized', 'No session to resume; log in.');
    try {
      res.json(await auth.refresh(session.username, session.refreshToken));
    } catch (e) {
      // A cookie of an ended session is of no more use: the browser forgets it.
      if (e instanceof AppError && e.status === 401) clearRefreshCookie(req, res, limits.cookies);
      throw e;
    }
  });

  // The cookie goes first: a browser that logs out forgets it even if its token was refused.
  r.post(
    '/logout',
    (req, res, next) => (clearRefreshCookie(req, res, limits.cookies), next()),
    authenticate(auth),
    async (req, res) => {
      await auth.logout(caller(req).claims);
      res.status(204).end();
    },
  );

  // A tab's presence: while this stream is open the server renews the session's lease itself,
  // so no browser timer (throttled in background tabs) has to. It says `ended` with the code
  // (session_replaced, unauthorized) when the session is no longer this token's.
  r.get('/presence', authenticate(auth), (req, res) => {
    const token = bearerOf(req.get('authorization'));
    const { claims } = caller(req);
    const stream = openSse(res);
    stream.send('live', { username: claims.username, renewMs: limits.presenceRenewMs });
    let renewing = false;
    const timer = setInterval(() => {
      if (renewing) return;
      renewing = true;
      auth
        .keepAlive(claims, token)
        .then((state) => {
          if (state === 'live') return;
          stream.send('ended', { code: state });
          stream.end();
        })
        .catch((err: unknown) => req.log.warn({ err }, 'presence: lease not renewed'))
        .finally(() => (renewing = false));
    }, limits.presenceRenewMs);
    stream.onClose(() => clearInterval(timer));
  });

  return r;
}
