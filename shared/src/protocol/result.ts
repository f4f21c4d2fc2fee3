// The result every decoder returns. Decoders never throw on hostile input; the caller
// drops a malformed frame and counts it, and closes the session on an unknown code.
import { Reader } from './wire.js';

export type DecodeError = 'malformed' | 'unknown_code';

export type DecodeResult<T> =
  | { readonly ok: true; readonly msg: T }
  | { readonly ok: false; readonly error: DecodeError; readonly code?: number };

export const malformed = { ok: false, error: 'malformed' } as const;

export function unknownCode(code: number): DecodeResult<never> {
  return { ok: false, error: 'unknown_code', code };
}

/** Checks the frame's code byte, then reads the body; any bad field makes it malformed. */
export function decodeFrame<T>(
  bytes: Uint8Array,
  code: number,
  readBody: (r: Reader) => T,
): DecodeResult<T> {
  if (bytes.length === 0) return malformed;
  if (bytes[0] !== code) return unknownCode(bytes[0] ?? 0);
  const reader = new Reader(bytes);
  reader.u8();
  const msg = readBody(reader);
  return reader.ok ? { ok: true, msg } : malformed;
}
