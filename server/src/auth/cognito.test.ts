// How raw Cognito SDK errors become domain errors: the names real Cognito and the emulator use.
import { describe, expect, it } from 'vitest';
import { identityErrorOf, loginError } from './cognito.js';
import { IdentityError, LoginRefused } from './identity.js';

describe('identityErrorOf', () => {
  it.each([
    [{ name: 'UsernameExistsException' }, 'user_exists'],
    [{ code: 'InvalidPasswordException' }, 'weak_password'],
    [{ name: 'InvalidParameterException' }, 'invalid_parameter'],
    [{ name: 'NotAuthorizedException' }, 'not_authorized'],
    [{ name: 'TooManyRequestsException' }, 'throttled'],
    [{ code: 'LimitExceededException' }, 'throttled'],
    [{ name: 'ThrottlingException' }, 'throttled'],
    [{ code: 'NetworkError' }, 'unavailable'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'unavailable'],
    [{ name: 'InternalErrorException' }, 'unavailable'],
    ['a string thrown by someone', 'unavailable'],
    [undefined, 'unavailable'],
  ])('%j -> %s', (raw, kind) => {
    const e = identityErrorOf(raw);
    expect(e).toBeInstanceOf(IdentityError);
    expect(e.kind).toBe(kind);
  });

  it('keeps an IdentityError as it is', () => {
    const e = new IdentityError('throttled');
    expect(identityErrorOf(e)).toBe(e);
  });
});

describe('loginError', () => {
  it.each([
    [{ name: 'NotAuthorizedException' }, 'bad_credentials'],
    // The emulator's answer to a wrong password.
    [{ name: 'InvalidPasswordException' }, 'bad_credentials'],
    [{ name: 'UserNotFoundException' }, 'unknown_user'],
    [{ name: 'UserNotConfirmedException' }, 'not_confirmed'],
  ])('%j -> LoginRefused %s', (raw, reason) => {
    const e = loginError(raw);
    expect(e).toBeInstanceOf(LoginRefused);
    expect((e as LoginRefused).reason).toBe(reason);
  });

  it.each([
    [{ name: 'TooManyRequestsException' }, 'throttled'],
    [{ name: 'InternalErrorException' }, 'unavailable'],
  ])('%j -> IdentityError %s', (raw, kind) => {
    const e = loginError(raw);
    expect(e).toBeInstanceOf(IdentityError);
    expect((e as IdentityError).kind).toBe(kind);
  });
});
