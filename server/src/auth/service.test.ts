// The auth service's mapping of identity-provider failures to the registry, with a fake
// provider behind the IdentityProvider interface (the real one is tested against the emulator).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { AppError, type ErrorCode } from '../errors.js';
import { IdentityError, type IdentityErrorKind, type IdentityProvider } from './identity.js';
import { AuthService, type SessionStore } from './service.js';

const failing = (kind: IdentityErrorKind): IdentityProvider => {
  const fail = () => Promise.reject(new IdentityError(kind));
  return {
    signUp: fail,
    confirm: fail,
    login: fail,
    refresh: fail,
    signOutEverywhere: fail,
    addToGroup: fail,
    ping: fail,
  };
};

const noPlayers: SessionStore = {
  create: () => Promise.resolve(true),
  get: () => Promise.resolve(undefined),
  acquireLease: () => Promise.resolve(true),
  renewLease: () => Promise.resolve(null),
  rotateSession: () => Promise.resolve(false),
  endSession: () => Promise.resolve(false),
  wasReplaced: () => Promise.resolve(false),
};

const service = (idp: IdentityProvider) =>
  new AuthService({
    idp,
    verifier: { verify: () => Promise.reject(new AppError('unauthorized')) },
    players: noPlayers,
    leaseMs: 60_000,
    mergeLoginErrors: false,
    now: () => 0,
    logger: createLogger('silent'),
  });

const expected: [IdentityErrorKind, ErrorCode, number][] = [
  ['user_exists', 'username_taken', 409],
  ['weak_password', 'weak_password', 400],
  ['invalid_parameter', 'invalid_input', 400],
  ['not_authorized', 'unauthorized', 401],
  ['throttled', 'identity_unavailable', 503],
  ['unavailable', 'identity_unavailable', 503],
];

const refusal = async (p: Promise<unknown>) => {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return { code: (e as AppError).code, status: (e as AppError).status };
};

describe('identity failures reach the client as registry codes, never 500', () => {
  it.each(expected)('%s -> %s (%d) on sign-up, login and refresh', async (kind, code, status) => {
    const auth = service(failing(kind));
    expect(await refusal(auth.signup('alice', 'longenough'))).toEqual({ code, status });
    expect(await refusal(auth.login('alice', 'longenough'))).toEqual({ code, status });
    expect(await refusal(auth.refresh('alice', 'token'))).toEqual({ code, status });
  });

  it('a provider that fails to confirm after a successful sign-up answers 503, not 500', async () => {
    const idp: IdentityProvider = {
      ...failing('unavailable'),
      signUp: () => Promise.resolve(),
    };
    expect(await refusal(service(idp).signup('alice', 'longenough'))).toEqual({
      code: 'identity_unavailable',
      status: 503,
    });
  });
});
