import type { z } from 'zod';
import { AppError } from '../errors.js';

/** Parses untrusted input with a zod schema; anything else is a 400 invalid_input naming the field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const out = schema.safeParse(input);
  if (out.success) return out.data;
  const issue = out.error.issues[0];
  const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new AppError('invalid_input', `${where}${issue?.message ?? 'invalid'}`);
}
