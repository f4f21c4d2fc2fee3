// POST /api/auth/{signup,login,refresh,logout}: parse, call the service, answer.
import { Router, type RequestHandler, type Response } from 'express';
import { AppError } from '../errors.js';
import { authenticate, caller } from '../http/authenticate.js';
import { byBodyUsername, byBodyUsernameAndIp, byIp, limiter } from '../http/rate-limit.js';
import type { LimitStores } from '../http/limit-store.js';
import { parse } from '../http/validate.js';
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
}

// Only answers that mean "a guess was wrong" use up the per-name quotas, so the right password
// never locks anyone out, and a stranger's guesses from one IP lock out only that IP.
const GUESS_FAILED = new Set(['wrong_password', 'unknown_user', 'invalid_credentials']);
const guessFailed = (res: Response) => GUESS_FAILED.has(String(res.locals.errorCode));

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
      res.json({
        username: t.username,
        accessToken: t.accessToken,
        idToken: t.idToken,
        refreshToken: t.refreshToken,
        expiresIn: t.expiresIn,
      });
    },
  );

  r.post('/refresh', perIp('refresh-ip'), async (req, res) => {
    const { username, refreshToken } = parse(refreshBody, req.body);
    res.json(await auth.refresh(username, refreshToken));
  });

  r.post('/logout', authenticate(auth), async (req, res) => {
    await auth.logout(caller(req).claims);
    res.status(204).end();
  });

  return r;
}
