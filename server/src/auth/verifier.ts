// Access-token verification with aws-jwt-verify: signature against the pool's JWKS, issuer,
// client id, token_use=access and expiry. Revocation is not its job (see session checks in
// AuthService), so this only says whether Cognito issued the token for this app.
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { AppError } from '../errors.js';
import { username as usernameSchema } from './schemas.js';

export interface AccessClaims {
  sub: string;
  username: string;
  jti: string;
  groups: readonly string[];
  /** Epoch seconds. */
  exp: number;
}

export interface TokenVerifier {
  /** Resolves with the claims of a valid access token; rejects with AppError unauthorized. */
  verify(token: string): Promise<AccessClaims>;
}

// Bounded, so that even a well-signed token (the emulator's key is public) cannot carry a key
// DynamoDB refuses (an empty or 3,000-character username) into a session lookup.
const ID = /^[\w:.-]{1,128}$/;

function claimsOf(p: JwtPayload): AccessClaims {
  const { sub, username, jti, exp } = p;
  const groups = p['cognito:groups'];
  if (
    typeof sub !== 'string' ||
    !ID.test(sub) ||
    !usernameSchema.safeParse(username).success ||
    typeof username !== 'string' ||
    typeof jti !== 'string' ||
    !ID.test(jti) ||
    typeof exp !== 'number'
  ) {
    throw new Error('access token lacks a valid sub, username, jti or exp');
  }
  const list = Array.isArray(groups)
    ? groups.filter((g): g is string => typeof g === 'string')
    : [];
  return { sub, username, jti, exp, groups: list };
}

const refused = (cause: unknown) => new AppError('unauthorized', undefined, { cause });

/**
 * RFC 7515 4.1.11: a recipient must reject a token whose `crit` header names extensions it does
 * not understand. This server understands none, so any `crit` is refused (the library ignores it).
 */
function refuseCritical(token: string): void {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());
  } catch {
    return; // not JSON: the library refuses it with its own reason
  }
  if (header !== null && typeof header === 'object' && 'crit' in header)
    throw new Error('JWT header has a crit parameter');
}

/**
 * For the local emulator: its pool ids (local_XXXX) do not fit CognitoJwtVerifier, and its
 * JWKS is served over http, which the library's fetcher refuses; so the JWKS is fetched here,
 * cached, and every verification is synchronous. An unknown kid is refused at once.
 */
export async function createLocalVerifier(opts: {
  endpoint: string;
  issuer: string;
  userPoolId: string;
  clientId: string;
}): Promise<TokenVerifier> {
  const jwksUri = `${opts.endpoint}/${opts.userPoolId}/.well-known/jwks.json`;
  const res = await fetch(jwksUri);
  if (!res.ok) throw new Error(`JWKS fetch from ${jwksUri} answered ${res.status}`);
  const verifier = JwtRsaVerifier.create({
    issuer: opts.issuer,
    jwksUri,
    audience: null, // access tokens carry client_id instead of aud; checked below
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'access') throw new Error('not an access token');
      if (payload.client_id !== opts.clientId) throw new Error('issued for another client');
    },
  });
  verifier.cacheJwks((await res.json()) as Parameters<typeof verifier.cacheJwks>[0]);
  return {
    verify: async (token) => {
      try {
        refuseCritical(token);
        return claimsOf(verifier.verifySync(token));
      } catch (e) {
        throw refused(e);
      }
    },
  };
}

/** For real Cognito: the library checks issuer, client id and token use, and rotates keys. */
export async function createCognitoVerifier(opts: {
  userPoolId: string;
  clientId: string;
}): Promise<TokenVerifier> {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: opts.userPoolId,
    clientId: opts.clientId,
    tokenUse: 'access',
  });
  await verifier.hydrate();
  return {
    verify: async (token) => {
      try {
        refuseCritical(token);
        return claimsOf(await verifier.verify(token));
      } catch (e) {
        throw refused(e);
      }
    },
  };
}

/** Tokens whose verification a node remembers (about 1 KB each with the token as key: ~10 MB). */
export const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Remembers the claims of tokens already verified, so a session's every request after its
 * first costs a map lookup instead of an RS256 signature check (about 80 µs). Keyed by the whole
 * token (signature included), so only the very token that passed is served from memory; its
 * expiry is checked again on every use with this server's clock, and the oldest entry goes
 * once `max` are held. Refusals are not remembered. Revocation is not this layer's job either
 * way: the session check after it (AuthService) refuses a logged-out or replaced token.
 */
export function rememberVerified(
  inner: TokenVerifier,
  o: { now: () => number; max?: number },
): TokenVerifier {
  const max = o.max ?? VERIFIED_TOKENS_MAX;
  const known = new Map<string, AccessClaims>();
  return {
    verify: async (token) => {
      const hit = known.get(token);
      if (hit) {
        if (hit.exp * 1000 > o.now()) return hit;
        known.delete(token);
        throw refused(new Error('token expired'));
      }
      const claims = await inner.verify(token);
      if (known.size >= max) known.delete(known.keys().next().value ?? '');
      known.set(token, claims);
      return claims;
    },
  };
}
