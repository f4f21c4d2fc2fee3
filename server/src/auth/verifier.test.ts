// The memory of verified tokens, over a verifier fake that counts its checks, with the clock
// driven by hand. The real verifiers (aws-jwt-verify against the emulator's keys) are exercised
// by test/integration/auth-session.test.ts and session-binding.test.ts.
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { rememberVerified, type AccessClaims, type TokenVerifier } from './verifier.js';

const EXP = 1_000; // epoch seconds

class CountingVerifier implements TokenVerifier {
  checks = 0;
  verify(token: string): Promise<AccessClaims> {
    this.checks++;
    if (!token.startsWith('good')) return Promise.reject(new AppError('unauthorized'));
    return Promise.resolve({
      sub: `s-${token}`,
      username: token,
      jti: token,
      groups: [],
      exp: EXP,
    });
  }
}

function setup(max?: number) {
  const inner = new CountingVerifier();
  const clock = { ms: EXP * 1000 - 60_000 };
  const verifier = rememberVerified(inner, { now: () => clock.ms, ...(max ? { max } : {}) });
  return { inner, clock, verifier };
}

describe('rememberVerified', () => {
  it('checks a token once and answers its claims from memory after', async () => {
    const { inner, verifier } = setup();
    const first = await verifier.verify('good-a');
    await expect(verifier.verify('good-a')).resolves.toEqual(first);
    await expect(verifier.verify('good-a')).resolves.toEqual(first);
    expect(inner.checks).toBe(1);
  });

  it('refuses a remembered token once it has expired', async () => {
    const { clock, verifier } = setup();
    await verifier.verify('good-a');
    clock.ms = EXP * 1000;
    await expect(verifier.verify('good-a')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not remember a refusal: a bad token is checked every time', async () => {
    const { inner, verifier } = setup();
    await expect(verifier.verify('forged')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(verifier.verify('forged')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(inner.checks).toBe(2);
  });

  it('serves only the very token that passed, not one that differs in its signature', async () => {
    const { inner, verifier } = setup();
    await verifier.verify('good-a');
    await expect(verifier.verify('good-a.other-signature')).resolves.toMatchObject({
      username: 'good-a.other-signature',
    });
    expect(inner.checks).toBe(2);
  });

  it('holds at most `max` tokens, dropping the oldest', async () => {
    const { inner, verifier } = setup(2);
    await verifier.verify('good-a');
    await verifier.verify('good-b');
    await verifier.verify('good-c'); // good-a goes
    await verifier.verify('good-c');
    await verifier.verify('good-b');
    expect(inner.checks).toBe(3);
    await verifier.verify('good-a');
    expect(inner.checks).toBe(4);
  });
});
