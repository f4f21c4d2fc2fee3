// The edge's mapping of thrown errors to registry answers, on a bare Express app.
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { errorHandler } from './errors.js';
import { requestLog } from './request-log.js';

function appThrowing(err: unknown) {
  const app = express();
  app.use(requestLog(app, pino({ level: 'silent' }), []));
  app.get('/', () => {
    throw err;
  });
  app.use(errorHandler);
  return app;
}

const answer = async (err: unknown) => {
  const res = await request(appThrowing(err)).get('/');
  return { status: res.status, code: res.body.error.code as string };
};

describe('errorHandler', () => {
  it.each([
    [new URIError('URI malformed'), 400, 'invalid_input'],
    [
      Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 }),
      413,
      'payload_too_large',
    ],
    [
      Object.assign(new Error('bad json'), { type: 'entity.parse.failed', status: 400 }),
      400,
      'invalid_json',
    ],
    [
      Object.assign(new Error('gzip'), { type: 'encoding.unsupported', status: 415 }),
      415,
      'unsupported_media_type',
    ],
    [Object.assign(new Error('http-errors 405'), { status: 405 }), 400, 'invalid_input'],
    [Object.assign(new Error('http-errors 404'), { status: 404 }), 404, 'not_found'],
    [
      Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }),
      503,
      'service_unavailable',
    ],
    [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 503, 'service_unavailable'],
    [new Error('a bug'), 500, 'internal'],
    ['a string', 500, 'internal'],
  ])('%s -> %i %s', async (err, status, code) => {
    expect(await answer(err)).toEqual({ status, code });
  });

  it('sends Retry-After for an AppError that carries it', async () => {
    const res = await request(
      appThrowing(new AppError('rate_limited', undefined, { retryAfterSec: 7 })),
    ).get('/');
    expect(res.status).toBe(429);
    expect(res.get('retry-after')).toBe('7');
  });
});
