// POST /api/match (offer in, ticket out), GET /api/match/:id/events (SSE), DELETE /api/match/:id.
import express, { Router } from 'express';
import { z } from 'zod';
import type { AuthService } from '../auth/service.js';
import { AppError } from '../errors.js';
import { authenticate, caller } from '../http/authenticate.js';
import { limiter } from '../http/rate-limit.js';
import { openSse } from '../http/sse.js';
import { parse } from '../http/validate.js';
import type { SignallingService } from './service.js';

// The offer may be up to 16 KB itself, so this body may be a little more; the SDP check then
// gives the precise error (sdp_too_large) rather than the generic one.
export const SIGNAL_BODY_LIMIT = 24 * 1024;

const requestBody = z.object({ offer: z.string({ error: 'offer (an SDP string) is required' }) });
const ticketParam = z.object({ ticketId: z.uuid('ticketId must be a ticket id') });
const matchParam = z.object({ matchId: z.uuid('matchId must be a match id') });

export function signallingRoutes(
  auth: AuthService,
  signalling: SignallingService,
  perMinute: number,
): Router {
  const r = Router();
  const limit = limiter({
    name: 'signal-user',
    perMinute,
    key: (req) => req.auth && `user:${req.auth.claims.sub}`,
  });
  const who = (req: express.Request) => ({
    userId: caller(req).claims.sub,
    username: caller(req).claims.username,
    sessionJti: caller(req).claims.jti,
  });

  r.post(
    '/',
    express.json({ limit: SIGNAL_BODY_LIMIT }),
    authenticate(auth),
    limit,
    async (req, res) => {
      const { offer } = parse(requestBody, req.body);
      res.status(201).json(await signalling.request(who(req), offer));
    },
  );

  // Back into a live match after a drop (RECONNECT_GRACE_MS): a new offer, the host's answer.
  r.post(
    '/:matchId/rejoin',
    express.json({ limit: SIGNAL_BODY_LIMIT }),
    authenticate(auth),
    limit,
    async (req, res) => {
      const { matchId } = parse(matchParam, req.params);
      const { offer } = parse(requestBody, req.body);
      const { answer } = await signalling.rejoin(who(req), matchId, offer);
      res.status(200).json({ matchId, answer });
    },
  );

  r.get('/:ticketId/events', authenticate(auth), limit, async (req, res) => {
    const { ticketId } = parse(ticketParam, req.params);
    let stream: ReturnType<typeof openSse> | undefined;
    // The ticket may have been queued, and may settle, on any node.
    const unsubscribe = await signalling.subscribe(ticketId, who(req).userId, (e) => {
      stream ??= openSse(res);
      // A ticket says each of its events once (waiting, then its verdict): the type is its id.
      // A client whose stream dropped reconnects with it as Last-Event-ID and gets the latest.
      stream.send(e.type, e, e.type);
      if (e.type !== 'waiting') stream.end();
    });
    // Not the caller's ticket, or no such ticket: the same answer, so ids cannot be probed.
    if (!unsubscribe) throw new AppError('not_found', 'No such ticket.');
    stream?.onClose(unsubscribe);
  });

  r.delete('/:ticketId', authenticate(auth), limit, async (req, res) => {
    const { ticketId } = parse(ticketParam, req.params);
    if (!(await signalling.cancel(ticketId, who(req).userId)))
      throw new AppError('not_found', 'No such waiting ticket.');
    res.status(204).end();
  });
  return r;
}
