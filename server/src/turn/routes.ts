// GET /api/ice-servers: the ICE servers a client should use, with fresh TURN credentials for
// the caller. Without TURN settings the list is empty, and clients connect directly as before.
import { Router } from 'express';
import type { AuthService } from '../auth/service.js';
import type { Config } from '../config.js';
import { authenticate, caller } from '../http/authenticate.js';
import { turnCredentials, type IceServer } from './credentials.js';

/** Credentials outlive a match by this much: the wait in the queue and a rejoin ride on them. */
export const TTL_MARGIN_SECONDS = 300;

export interface IceServersAnswer {
  iceServers: IceServer[];
  /** Seconds the credentials stay valid (and how long a client may reuse this answer). */
  ttlSeconds: number;
}

type TurnConfig = Pick<Config, 'TURN_URLS' | 'TURN_SECRET' | 'MATCH_SECONDS'>;

/** The answer for `userId` at `nowMs`. */
export function iceServersFor(config: TurnConfig, userId: string, nowMs: number): IceServersAnswer {
  const ttlSeconds = config.MATCH_SECONDS + TTL_MARGIN_SECONDS;
  const { TURN_URLS: urls, TURN_SECRET: secret } = config;
  if (!urls || !secret) return { iceServers: [], ttlSeconds };
  return { iceServers: [turnCredentials({ urls, secret }, userId, ttlSeconds, nowMs)], ttlSeconds };
}

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
