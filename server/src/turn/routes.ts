// GET /api/ice-servers: the ICE servers a client should use, with fresh TURN credentials for
// the caller. Without TURN settings the list is empty, and clients connect directly as before.
import { Router } from 'express';
import type { AuthService } from '../auth/service.js';
import { authenticate, caller } from '../http/authenticate.js';
import { iceServersFor, type TurnConfig } from './credentials.js';

export function iceServerRoutes(
  auth: AuthService,
  config: TurnConfig,
  now: () => number = Date.now,
): Router {
  const r = Router();
  r.get('/', authenticate(auth), (req, res) => {
    // The credential is a secret of this user's: no shared cache may keep it.
    res.set('Cache-Control', 'no-store');
    res.json(iceServersFor(config, caller(req).player.username, now()));
  });
  return r;
}
