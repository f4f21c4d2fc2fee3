// /api/admin/*: operators only. Every route, known or not, first requires a live session whose
// access token carries the Cognito group `admin`; anyone else gets 403 forbidden.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AuthService } from '../auth/service.js';
import { username } from '../auth/schemas.js';
import { AppError } from '../errors.js';
import { authenticate, caller } from '../http/authenticate.js';
import { parse } from '../http/validate.js';
import type { DeadLetters } from '../results/queue.js';
import { deadLetterRoutes } from './dead-letters-routes.js';
import type { AdminService } from './service.js';

export const ADMIN_GROUP = 'admin';

/** Groups reach the access token at login, so a promotion counts from the next login. */
export const requireGroup =
  (group: string): RequestHandler =>
  (req, _res, next) => {
    next(caller(req).claims.groups.includes(group) ? undefined : new AppError('forbidden'));
  };

const listQuery = z.object({
  active: z.enum(['true', 'false'], { error: 'active must be true or false' }).optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(25),
  cursor: z.string().max(2048, 'cursor is too long').optional(),
});
const playerParams = z.object({ username });
const matchParams = z.object({ matchId: z.uuid('matchId must be a match id') });

export function adminRoutes(
  auth: AuthService,
  admin: AdminService,
  o: { matches: boolean; deadLetters?: DeadLetters },
): Router {
  const r = Router();
  r.use(authenticate(auth), requireGroup(ADMIN_GROUP));

  r.get('/players', async (req, res) => {
    res.json(await admin.listPlayers(parse(listQuery, req.query)));
  });
  r.get('/players/:username', async (req, res) => {
    res.json(await admin.player(parse(playerParams, req.params).username));
  });
  r.post('/players/:username/kick', async (req, res) => {
    res.json(await admin.kick(parse(playerParams, req.params).username));
  });
  r.get('/status', async (_req, res) => {
    res.json(await admin.status());
  });
  // Only nodes that host matches have them to show or end.
  if (o.matches) {
    r.get('/matches', async (_req, res) => {
      res.json({ matches: await admin.matches() });
    });
    r.post('/matches/:matchId/end', async (req, res) => {
      await admin.endMatch(parse(matchParams, req.params).matchId);
      res.status(204).end();
    });
  }
  if (o.deadLetters) deadLetterRoutes(r, o.deadLetters);
  return r;
}
