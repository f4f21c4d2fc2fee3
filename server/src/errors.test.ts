import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, ERRORS, errorBody } from './errors.js';

describe('the error registry', () => {
  it('is documented line by line in docs/errors.md, with the same statuses', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\|\s*`(\w+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(ERRORS).map(([k, v]) => [k, v.status])),
    );
  });

  it('builds errors that carry their code and status', () => {
    const e = new AppError('already_logged_in');
    expect([e.code, e.status, e.message]).toEqual([
      'already_logged_in',
      409,
      ERRORS.already_logged_in.message,
    ]);
    expect(errorBody('rate_limited')).toEqual({
      error: { code: 'rate_limited', message: ERRORS.rate_limited.message },
    });
  });
});
