// The browser's refresh token, in an HttpOnly cookie that only the auth routes see, so that
// any tab of the same browser resumes the session and no script can read the token. CSRF:
// SameSite=Strict keeps other sites' requests from carrying it, and the cookie route also
// requires an Origin header naming this site (docs/api.md, "Sessions").
import type { CookieOptions, Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { username } from './schemas.js';

export const REFRESH_COOKIE = 'duel_refresh';
/** Only the auth routes (login sets it, refresh reads it, logout clears it) ever receive it. */
export const REFRESH_COOKIE_PATH = '/api/auth';
/** Cognito's default refresh-token validity; an older cookie would only be refused. */
export const REFRESH_COOKIE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

// username:refreshToken (a username has no colon); both checked before any use.
const cookieValue = z
  .string()
  .transform((v) => {
    const at = v.indexOf(':');
    return { username: v.slice(0, at), refreshToken: v.slice(at + 1) };
  })
  .pipe(z.object({ username, refreshToken: z.string().min(1).max(8192) }));

export interface CookiePolicy {
  /** Local mode: plain http on loopback may drop `Secure` (nothing else may). */
  local: boolean;
}

function options(req: Request, policy: CookiePolicy): CookieOptions {
  const insecureLoopback = policy.local && !req.secure && LOOPBACK.has(req.hostname);
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: !insecureLoopback,
    path: REFRESH_COOKIE_PATH,
  };
}

export function setRefreshCookie(
  req: Request,
  res: Response,
  policy: CookiePolicy,
  session: { username: string; refreshToken: string },
): void {
  res.cookie(REFRESH_COOKIE, `${session.username}:${session.refreshToken}`, {
    ...options(req, policy),
    maxAge: REFRESH_COOKIE_MAX_AGE_MS,
  });
}

export function clearRefreshCookie(req: Request, res: Response, policy: CookiePolicy): void {
  res.clearCookie(REFRESH_COOKIE, options(req, policy));
}

/** The session in the request's cookie; undefined when it has none, 401 when it is not ours. */
export function readRefreshCookie(
  req: Request,
): { username: string; refreshToken: string } | undefined {
  const raw = parseCookies(req.get('cookie') ?? '')[REFRESH_COOKIE];
  if (raw === undefined) return undefined;
  const parsed = cookieValue.safeParse(raw);
  if (!parsed.success) throw new AppError('unauthorized', 'The session cookie is not valid.');
  return parsed.data;
}

/**
 * A cookie is sent by the browser whoever made the page, so the cookie route serves only a
 * page of this site: the Origin must be this server's own (scheme, host and port as the
 * client reached it). Browsers send Origin on every POST; its absence is refused too.
 */
export function requireSameOrigin(req: Request): void {
  const origin = req.get('origin');
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  if (!origin || origin !== own) throw new AppError('bad_origin');
}
