// POST /api/auth/{signup,login,refresh,logout}: parse, call the service, answer.
import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { authenticate, caller } from '../http/authenticate.js';
import { byBodyUsername, byIp, limiter } from '../http/rate-limit.js';
import { parse } from '../http/validate.js';
import { credentials, MIN_PASSWORD, refreshBody } from './schemas.js';
import type { AuthService } from './service.js';

export interface AuthRouteLimits {
  ipPerMinute: number;
  userPerMinute: number;
}

export function authRoutes(auth: AuthService, limits: AuthRouteLimits): Router {
  const r = Router();
  const perIp = (name: string): RequestHandler =>
    limiter({ name, perMinute: limits.ipPerMinute, key: byIp });

  r.post('/signup', perIp('signup-ip'), async (req, res) => {
    const { username, password } = parse(credentials, req.body);
    if (password.length < MIN_PASSWORD) throw new AppError('weak_password');
    res.status(201).json(await auth.signup(username, password));
  });

  r.post(
    '/login',
    perIp('login-ip'),
    limiter({ name: 'login-user', perMinute: limits.userPerMinute, key: byBodyUsername }),
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
