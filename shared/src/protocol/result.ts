// The result every decoder returns. Decoders never throw on hostile input; the caller
// drops a malformed frame and counts it, and closes the session on an unknown code.
import { Reader } from './wire.js';

/**
 * unknown_baseline: a delta snapshot against a view the receiver does not hold (any more);
 * the client drops it and waits for a frame against a baseline it has acknowledged.
 */
export type DecodeError = 'malformed' | 'unknown_code' | 'unknown_baseline';

export type DecodeResult<T> =
  | { readonly ok: true; readonly msg: T }
  | { readonly ok: false; readonly error: DecodeError; readonly code?: number };

export const malformed = { ok: false, error: 'malformed' } as const;

export const unknownBaseline = { ok: false, error: 'unknown_baseline' } as const;

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
