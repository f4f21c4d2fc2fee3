// The edge: every failure leaves as {"error":{"code","message"}} with a registry code. Causes
// are logged here; the client only ever sees the registry's safe message.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, errorBody, isAppError, type ErrorCode } from '../errors.js';

interface HttpLikeError {
  type?: string;
  status?: number;
  name?: string;
  code?: string;
  $metadata?: unknown;
}

// body-parser's error types (http-errors), by what the client did wrong.
const BODY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  'entity.too.large': 'payload_too_large',
  'entity.parse.failed': 'invalid_json',
  'entity.verify.failed': 'invalid_json',
  'request.size.invalid': 'invalid_input',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
};

// Any other 4xx raised by Express's own parts (router, body-parser), by status.
const CLIENT_STATUS: Readonly<Record<number, ErrorCode>> = {
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

// AWS SDK errors that mean DynamoDB (or the network to it) could not serve the call now.
const AWS_UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = (err ?? {}) as HttpLikeError;
  const bodyCode = e.type === undefined ? undefined : BODY_ERRORS[e.type];
  if (bodyCode) return new AppError(bodyCode, undefined, { cause: err });
  // The router's decodeURIComponent of a path parameter: %ZZ and friends.
  if (err instanceof URIError)
    return new AppError('invalid_input', 'The path is not valid percent-encoding.', { cause: err });
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new AppError(CLIENT_STATUS[e.status] ?? 'invalid_input', undefined, { cause: err });
  if (AWS_UNAVAILABLE.has(e.name ?? '') || AWS_UNAVAILABLE.has(e.code ?? ''))
    return new AppError('service_unavailable', undefined, { cause: err });
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

/**
 * Request bodies are never compressed by this platform's clients, and inflating them is a
 * zlib error (or a bomb) waiting to happen: any Content-Encoding but identity is refused with
 * 415 before a byte of the body is read, on every route.
 */
export const refuseContentEncoding: RequestHandler = (req, _res, next) => {
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const compressed = encoding !== 'identity' && encoding !== '';
  next(
    compressed && hasBody(req)
      ? new AppError('unsupported_media_type', 'Request bodies must not be compressed.')
      : undefined,
  );
};

/** As type-is decides it (RFC 7230 3.3): a Transfer-Encoding, or a Content-Length but 0. */
export const hasBody = (req: Request) =>
  req.get('transfer-encoding') !== undefined || (req.get('content-length') ?? '0').trim() !== '0';
