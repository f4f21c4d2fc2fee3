// Rate limits (express-rate-limit). Keys come from req.ip, which Express derives from
// X-Forwarded-For only as far as `trust proxy` allows, so a forged header earns no fresh quota.
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo, type Store } from 'express-rate-limit';
import { AppError } from '../errors.js';

export interface LimitOptions {
  name: string;
  perMinute: number;
  key: (req: Request) => string | undefined;
  /** When set, only requests whose response this accepts use up the quota (e.g. failed logins). */
  counts?: (res: Response) => boolean;
  /** Where the counts live (a shared Redis with many nodes); this process's memory by default. */
  store?: Store;
}

export function limiter({ name, perMinute, key, counts, store }: LimitOptions): RequestHandler {
  return rateLimit({
    ...(store ? { store } : {}),
    // A store that fails (Redis down) lets the request through rather than answering 500.
    passOnStoreError: true,
    ...(counts
      ? { skipSuccessfulRequests: true, requestWasSuccessful: (_req, res) => !counts(res) }
      : {}),
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    keyGenerator: (req) => `${name}:${key(req) ?? ipKeyGenerator(req.ip ?? 'unknown')}`,
    handler: (req, res, next) => {
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      const reset = info?.resetTime?.getTime() ?? Date.now() + 60_000;
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((reset - Date.now()) / 1000))));
      next(new AppError('rate_limited'));
    },
  });
}

export const byIp = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

const bodyUsername = (req: Request) => {
  const u = (req.body as { username?: unknown } | undefined)?.username;
  return typeof u === 'string' && u.length <= 64 ? u : undefined;
};

/** The username in a JSON body, normalised; undefined when absent so the IP is used. */
export const byBodyUsername = (req: Request) => {
  const u = bodyUsername(req);
  return u === undefined ? undefined : `user:${u}`;
};

/** The username in a JSON body together with the client IP: one client's guesses at one name. */
export const byBodyUsernameAndIp = (req: Request) => {
  const u = bodyUsername(req);
  return u === undefined ? undefined : `user:${u}:ip:${byIp(req)}`;
};
