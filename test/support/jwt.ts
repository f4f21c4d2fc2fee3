// Hand-made JWTs for attacking the verifier. The emulator's real signing key ships inside the
// cognito-local package, so tests can forge tokens that differ from real ones in one claim only.
import { createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const emulatorKey = createPrivateKey(
  (require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string }).pem,
);

const b64url = (v: unknown) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export function decode(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>,
  };
}

export function sign(
  payload: Record<string, unknown>,
  opts: { key?: KeyObject; kid?: string; alg?: string; header?: Record<string, unknown> } = {},
): string {
  const header = {
    alg: opts.alg ?? 'RS256',
    typ: 'JWT',
    kid: opts.kid ?? 'CognitoLocal',
    ...opts.header,
  };
  const input = `${b64url(header)}.${b64url(payload)}`;
  if (header.alg === 'none') return `${input}.`;
  const sig = createSign('RSA-SHA256')
    .update(input)
    .sign(opts.key ?? emulatorKey);
  return `${input}.${sig.toString('base64url')}`;
}

export const strangerKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
