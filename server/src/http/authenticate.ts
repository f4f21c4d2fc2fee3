import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { AuthService, Authenticated } from '../auth/service.js';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Authenticated;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*\.[A-Za-z0-9_+/=-]*)$/;

/** Requires a valid access token of a live session; renews the session's lease. */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const m = BEARER.exec(req.get('authorization') ?? '');
    if (!m?.[1]) return next(new AppError('unauthorized'));
    req.auth = await auth.authenticate(m[1]);
    next();
  };
}

/** The authenticated caller; only valid behind `authenticate`. */
export function caller(req: Request): Authenticated {
  if (!req.auth) throw new AppError('unauthorized');
  return req.auth;
}
