import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AuthService } from '../auth/service.js';
import { username } from '../auth/schemas.js';
import { AppError } from '../errors.js';
import { authenticate, caller } from '../http/authenticate.js';
import { parse } from '../http/validate.js';
import { ownView } from './player.js';
import type { ProfileService } from './profiles.js';

/** GET /api/me: the caller's own record, never the session fields. */
export function meRoutes(auth: AuthService): Router {
  const r = Router();
  r.get('/', authenticate(auth), (req, res) => {
    res.json(ownView(caller(req).player));
  });
  return r;
}

const profileParams = z.object({ username });

/** GET /api/players/:username: anyone's public profile (public stats only). */
export function profileRoutes(profiles: ProfileService, publicLimit: RequestHandler): Router {
  const r = Router();
  r.get('/:username', publicLimit, async (req, res) => {
    const { username: name } = parse(profileParams, req.params);
    const profile = await profiles.get(name);
    if (!profile) throw new AppError('not_found', 'No such player.');
    res.json(profile);
  });
  return r;
}
