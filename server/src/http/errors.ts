// The edge: every failure leaves as {"error":{"code","message"}} with a registry code. Causes
// are logged here; the client only ever sees the registry's safe message.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, errorBody, isAppError } from '../errors.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const type = (err as BodyParserError)?.type;
  if (type === 'entity.too.large')
    return new AppError('payload_too_large', undefined, { cause: err });
  if (type === 'entity.parse.failed')
    return new AppError('invalid_json', undefined, { cause: err });
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', undefined, { cause: err });
  }
  return new AppError('internal', undefined, { cause: err });
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const e = toAppError(err);
  if (e.status >= 500) req.log.error({ err: e.cause ?? err, code: e.code }, 'request failed');
  else req.log.debug({ code: e.code, cause: e.cause }, 'request refused');
  if (res.headersSent) return;
  // For metrics that count outcomes by code (logins).
  res.locals.errorCode = e.code;
  if (e.retryAfterSec !== undefined) res.setHeader('Retry-After', String(e.retryAfterSec));
  res.status(e.status).json(errorBody(e.code, e.message));
};

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('not_found'));
};
