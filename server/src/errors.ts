// The one error registry. Every error a client can see has a code here, and docs/errors.md
// lists the same codes with what to do about them (a test keeps the two in step).
import {
  BODY_MAX_BYTES,
  kilobytes,
  PASSWORD_MIN_LENGTH,
  SDP_MAX_BYTES,
  SDP_MAX_CANDIDATES,
} from '../../shared/src/limits.js';

export const ERRORS = {
  invalid_input: { status: 400, message: 'The request body or parameters are not valid.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  malformed_request: { status: 400, message: 'The request is not valid HTTP/1.1.' },
  weak_password: {
    status: 400,
    message: `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`,
  },
  unauthorized: { status: 401, message: 'A valid access token is required.' },
  session_replaced: {
    status: 401,
    message: 'This session was taken over by a login elsewhere.',
  },
  unknown_user: { status: 401, message: 'No account has this username.' },
  wrong_password: { status: 401, message: 'The password is wrong.' },
  invalid_credentials: { status: 401, message: 'The username or password is wrong.' },
  forbidden: { status: 403, message: 'This account may not do that.' },
  bad_origin: {
    status: 403,
    message: 'A refresh by cookie must come from a page of this site (Origin).',
  },
  not_found: { status: 404, message: 'Nothing is here.' },
  username_taken: { status: 409, message: 'This username is taken.' },
  already_logged_in: { status: 409, message: 'This account is already logged in elsewhere.' },
  already_queued: {
    status: 409,
    message: 'This player already has a live matchmaking ticket or match.',
  },
  invalid_sdp: { status: 400, message: 'The offer is not a WebRTC data-channel SDP.' },
  too_many_candidates: {
    status: 400,
    message: `The offer has more than ${SDP_MAX_CANDIDATES} ICE candidates.`,
  },
  payload_too_large: {
    status: 413,
    message: `The request body is larger than ${kilobytes(BODY_MAX_BYTES)}.`,
  },
  sdp_too_large: {
    status: 413,
    message: `The offer SDP is larger than ${kilobytes(SDP_MAX_BYTES)}.`,
  },
  unsupported_media_type: { status: 415, message: 'The request body must be application/json.' },
  request_timeout: { status: 408, message: 'The request did not arrive in time.' },
  headers_too_large: { status: 431, message: 'The request headers are too large.' },
  rate_limited: { status: 429, message: 'Too many requests; try again later.' },
  internal: { status: 500, message: 'Something went wrong on the server.' },
  match_unavailable: {
    status: 503,
    message: 'The game server could not host the match; queue again.',
  },
  matchmaking_unavailable: {
    status: 503,
    message: 'Matchmaking is briefly unavailable; try again in a few seconds.',
  },
  identity_unavailable: {
    status: 503,
    message: 'The account service is busy or not answering; try again in a few seconds.',
  },
  service_unavailable: {
    status: 503,
    message: 'A service the platform depends on is not answering.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error meant for the client: a registry code, its status, and a safe message. */
export class AppError extends Error {
  readonly status: number;
  /** Seconds the client should wait before retrying: sent as Retry-After. */
  readonly retryAfterSec: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    options?: { cause?: unknown; retryAfterSec?: number },
  ) {
    super(message ?? ERRORS[code].message, options);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
    this.retryAfterSec = options?.retryAfterSec;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export function errorBody(code: ErrorCode, message?: string) {
  return { error: { code, message: message ?? ERRORS[code].message } };
}
