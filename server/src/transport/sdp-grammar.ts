// The cheap grammar checks of an offer, line by line: what libdatachannel would refuse later
// (after native resources exist), refused here first. libdatachannel stays the final judge.
import { isIP } from 'node:net';

// RFC 8122 §5: hash function name → digest length in bytes. md5/md2 are obsolete and refused.
const FINGERPRINT_BYTES: Readonly<Record<string, number>> = {
  'sha-1': 20,
  'sha-224': 28,
  'sha-256': 32,
  'sha-384': 48,
  'sha-512': 64,
};
const HEX_PAIRS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/;
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;
const TOKEN = /^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+$/; // RFC 8866 token
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*$/;
const DIGITS = /^\d{1,10}$/;

const isPort = (s: string | undefined, min = 0) =>
  s !== undefined && /^\d{1,5}$/.test(s) && Number(s) >= min && Number(s) <= 65535;
const isAddress = (s: string | undefined) => s !== undefined && (isIP(s) !== 0 || HOSTNAME.test(s));

/** `a=fingerprint:<hash> <hex pairs>` with as many pairs as the hash has bytes. */
export function fingerprintProblem(value: string): string | undefined {
  const [hash, hex, ...rest] = value.split(' ');
  const bytes = FINGERPRINT_BYTES[hash?.toLowerCase() ?? ''];
  if (bytes === undefined) return `unsupported fingerprint hash ${hash?.slice(0, 16) ?? ''}`;
  if (rest.length > 0 || hex === undefined || !HEX_PAIRS.test(hex)) {
    return 'the fingerprint is not colon-separated hex pairs';
  }
  if ((hex.length + 1) / 3 !== bytes) return `a ${hash} fingerprint has ${bytes} bytes`;
  return undefined;
}

/** `m=application <port> <proto> <fmt>`: the port is 1–65535 (0 would reject the section). */
export function mediaPortProblem(value: string): string | undefined {
  const port = value.split(' ')[1];
  return isPort(port, 1) ? undefined : 'the application m= line needs a port 1-65535';
}

/**
 * RFC 8839 §5.1: foundation component transport priority address port typ type, then
 * name/value pairs (raddr, rport, and extensions such as generation or ufrag).
 */
export function candidateProblem(value: string): string | undefined {
  const [foundation, component, transport, priority, address, port, typ, type, ...tail] =
    value.split(' ');
  const valid =
    foundation !== undefined &&
    foundation.length <= 32 &&
    ICE_CHARS.test(foundation) &&
    /^\d{1,3}$/.test(component ?? '') &&
    Number(component) >= 1 &&
    Number(component) <= 256 &&
    TOKEN.test(transport ?? '') &&
    DIGITS.test(priority ?? '') &&
    Number(priority) >= 1 &&
    Number(priority) <= 2 ** 32 - 1 &&
    isAddress(address) &&
    isPort(port) &&
    typ === 'typ' &&
    TOKEN.test(type ?? '') &&
    pairsProblem(tail) === undefined;
  return valid ? undefined : 'a candidate does not follow RFC 8839';
}

function pairsProblem(tail: readonly string[]): string | undefined {
  if (tail.length % 2 !== 0) return 'odd';
  for (let i = 0; i < tail.length; i += 2) {
    const [name, value] = [tail[i] ?? '', tail[i + 1] ?? ''];
    if (!TOKEN.test(name) || value.length === 0) return 'bad pair';
    if (name === 'raddr' && !isAddress(value)) return 'raddr';
    if (name === 'rport' && !isPort(value)) return 'rport';
  }
  return undefined;
}

/** ufrag 4–256 and pwd 22–256 ice-chars (RFC 8839 §5.4). */
export function iceCredentialProblem(attr: 'ufrag' | 'pwd', value: string): string | undefined {
  const min = attr === 'ufrag' ? 4 : 22;
  return value.length >= min && value.length <= 256 && ICE_CHARS.test(value)
    ? undefined
    : `ice-${attr} must be ${min}-256 ice-chars`;
}
