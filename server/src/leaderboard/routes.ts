// GET /api/leaderboard (public, numbered pages) and GET /api/leaderboard/around-me (Bearer).
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AuthService } from '../auth/service.js';
import { authenticate, caller } from '../http/authenticate.js';
import { parse } from '../http/validate.js';
import type { LeaderboardService } from './service.js';

/** Deepest rank a page may reach; deeper players find themselves through around-me. */
export const MAX_RANK_DEPTH = 10_000;
export const MAX_PAGE_SIZE = 50;

const whole = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const pageQuery = z
  .object({
    page: whole('page', 1, MAX_RANK_DEPTH).default(1),
    size: whole('size', 1, MAX_PAGE_SIZE).default(10),
  })
  .refine((q) => q.page * q.size <= MAX_RANK_DEPTH, {
    message: `page × size must be at most ${MAX_RANK_DEPTH}`,
    path: ['page'],
  });

const aroundQuery = z.object({ radius: whole('radius', 1, 10).default(3) });

export function leaderboardRoutes(
  auth: AuthService,
  leaderboard: LeaderboardService,
  publicLimit: RequestHandler,
): Router {
  const r = Router();
  r.get('/', publicLimit, async (req, res) => {
    const { page, size } = parse(pageQuery, req.query);
    res.json(await leaderboard.page(page, size));
  });
  r.get('/around-me', authenticate(auth), async (req, res) => {
    const { radius } = parse(aroundQuery, req.query);
    res.json(await leaderboard.aroundMe(caller(req).player, radius));
  });
  return r;
}
