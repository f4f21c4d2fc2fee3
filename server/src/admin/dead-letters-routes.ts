// /api/admin/dead-letters: match results that failed for good, and a replay of one. Added to
// the admin router, so the admin group check in front of it applies.
import type { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parse } from '../http/validate.js';
import type { DeadLetters } from '../results/queue.js';

// A dead letter is named by its match id (SQS ones whose body is unreadable, by message id).
const letterParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'id must be a dead letter id'),
});

export function deadLetterRoutes(r: Router, deadLetters: DeadLetters): void {
  r.get('/dead-letters', async (_req, res) => {
    res.json({ deadLetters: await deadLetters.list() });
  });
  r.post('/dead-letters/:id/retry', async (req, res) => {
    const { id } = parse(letterParams, req.params);
    if (!(await deadLetters.retry(id)))
      throw new AppError('not_found', 'No dead letter has this id.');
    res.status(202).json({ id, requeued: true });
  });
}
