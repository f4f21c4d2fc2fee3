import { Router } from 'express';
import type { AuthService } from '../auth/service.js';
import { authenticate, caller } from '../http/authenticate.js';
import { ownView } from './player.js';

/** GET /api/me: the caller's own record, never the session fields. */
export function meRoutes(auth: AuthService): Router {
  const r = Router();
  r.get('/', authenticate(auth), (req, res) => {
    res.json(ownView(caller(req).player));
  });
  return r;
}
