import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../shared/src/limits.js';

/** 3–20 characters of [A-Za-z0-9_-] (DESIGN.md). */
export const username = z
  .string({ error: 'username is required' })
  .regex(/^[A-Za-z0-9_-]{3,20}$/, 'username must be 3-20 characters of A-Z a-z 0-9 _ -');

// No composition rules (ASVS 5.0 6.2.x); length is checked apart so it can answer weak_password.
const password = z
  .string({ error: 'password is required' })
  .min(1, 'password is required')
  .max(PASSWORD_MAX_LENGTH, `password must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const MIN_PASSWORD = PASSWORD_MIN_LENGTH;

export const credentials = z.object({ username, password });
export const refreshBody = z.object({
  username,
  refreshToken: z.string({ error: 'refreshToken is required' }).min(1).max(8192),
});
