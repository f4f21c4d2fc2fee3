// The auth service's mapping of identity-provider failures to the registry, with a fake
// provider behind the IdentityProvider interface (the real one is tested against the emulator).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { AppError, type ErrorCode } from '../errors.js';
import { IdentityError, type IdentityErrorKind, type IdentityProvider } from './identity.js';
import { zeroStats } from '../players/player.js';
import { AuthService, type SessionStore } from './service.js';
import { SessionCache } from './session-cache.js';
import { LocalSessionInvalidations } from './session-invalidations.js';
import type { AccessClaims } from './verifier.js';

const failing = (kind: IdentityErrorKind): IdentityProvider => {
  const fail = () => Promise.reject(new IdentityError(kind));
  return {
    signUp: fail,
    confirm: fail,
    login: fail,
    refresh: fail,
    signOutEverywhere: fail,
    addToGroup: fail,
    removeFromGroup: fail,
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

describe('the session check with a session cache', () => {
  const claims: AccessClaims = { sub: 's-1', username: 'alice', jti: 'j-1', groups: [], exp: 1e12 };

  function setup() {
    let t = 0;
    let writes = 0;
    let live = true;
    const players: SessionStore = {
      ...noPlayers,
      renewLease: async (username) => {
        writes++;
        await Promise.resolve();
        return live
          ? { username, active: true, timePlayed: 0, createdAt: '', ...zeroStats() }
          : null;
      },
    };
    const invalidations = new LocalSessionInvalidations();
    const auth = new AuthService({
      idp: failing('unavailable'),
      verifier: { verify: () => Promise.resolve(claims) },
      players,
      leaseMs: 60_000,
      mergeLoginErrors: false,
      now: () => t,
      logger: createLogger('silent'),
      sessions: new SessionCache({ invalidations, renewEveryMs: 15_000, now: () => t }),
    });
    return {
      auth,
      writes: () => writes,
      advance: (ms: number) => (t += ms),
      end: async () => {
        live = false;
        await invalidations.publish('alice');
      },
    };
  }

  it('concurrent first calls share one renewal, later calls none until a quarter lease', async () => {
    const s = setup();
    await Promise.all(Array.from({ length: 10 }, () => s.auth.authenticate('tok')));
    expect(s.writes()).toBe(1);
    for (let i = 0; i < 10; i++) await s.auth.authenticate('tok');
    expect(s.writes()).toBe(1);
    s.advance(15_000);
    await s.auth.authenticate('tok');
    expect(s.writes()).toBe(2);
  });

  it('refuses at once after the session is written elsewhere', async () => {
    const s = setup();
    await s.auth.authenticate('tok');
    await s.end();
    expect((await refusal(s.auth.authenticate('tok'))).code).toBe('unauthorized');
  });
});
