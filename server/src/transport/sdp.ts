// Checks on an offer SDP before any of it reaches native code, and the rewrite that makes
// the answer announce the public address behind a 1:1 NAT (EC2). libdatachannel 0.33 has
// no option for an announced address, so the answer text is rewritten.
import { isIP } from 'node:net';
import { TransportError } from './errors.js';
import {
  candidateProblem,
  fingerprintProblem,
  iceCredentialProblem,
  mediaPortProblem,
} from './sdp-grammar.js';

export const MAX_SDP_BYTES = 16 * 1024;
export const MAX_CANDIDATES = 20;

const CANDIDATE = /^a=candidate:/;
const MEDIA = /^m=(\S+) \S+ (\S+)/;
const SDP_LINE = /^[a-z]=/;

/** Throws TransportError (sdp_too_large, too_many_candidates, invalid_sdp) on a bad offer. */
export function validateOfferSdp(sdp: unknown): asserts sdp is string {
  if (typeof sdp !== 'string') throw new TransportError('invalid_sdp', 'the offer is not a string');
  if (Buffer.byteLength(sdp, 'utf8') > MAX_SDP_BYTES) {
    throw new TransportError('sdp_too_large', `the offer is over ${MAX_SDP_BYTES} bytes`);
  }
  const lines = sdp.split(/\r?\n/);
  const candidates = lines.filter((l) => CANDIDATE.test(l)).length;
  if (candidates > MAX_CANDIDATES) {
    throw new TransportError(
      'too_many_candidates',
      `the offer has over ${MAX_CANDIDATES} candidates`,
    );
  }
  const problem = describeProblem(lines);
  if (problem) throw new TransportError('invalid_sdp', problem);
}

// Tab is allowed; CR/LF were split off; every other C0 control and DEL is not.
function hasControlCharacter(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

function describeProblem(lines: string[]): string | undefined {
  if (lines[0] !== 'v=0') return 'the offer does not start with v=0';
  // Control characters have no place in SDP and are a common fuzzing vector for parsers.
  if (lines.some(hasControlCharacter)) {
    return 'the offer holds control characters';
  }
  if (lines.some((l) => l !== '' && !SDP_LINE.test(l))) return 'a line is not <type>=<value>';
  const media = lines.filter((l) => l.startsWith('m='));
  if (media.length !== 1) return 'the offer must have exactly one m= line';
  const [, kind, proto] = MEDIA.exec(media[0] ?? '') ?? [];
  if (kind !== 'application' || !proto?.includes('SCTP')) {
    return 'the offer has no application (data channel) m= line';
  }
  for (const attr of ['a=ice-ufrag:', 'a=ice-pwd:', 'a=fingerprint:']) {
    if (!lines.some((l) => l.startsWith(attr))) return `the offer has no ${attr} line`;
  }
  return lines.map(lineProblem).find((p) => p !== undefined);
}

// The fields libdatachannel would refuse after native resources exist (sdp-grammar.ts).
function lineProblem(line: string): string | undefined {
  const value = (prefix: string) => line.slice(prefix.length);
  if (line.startsWith('m=')) return mediaPortProblem(value('m='));
  if (line.startsWith('a=fingerprint:')) return fingerprintProblem(value('a=fingerprint:'));
  if (CANDIDATE.test(line)) return candidateProblem(value('a=candidate:'));
  if (line.startsWith('a=ice-ufrag:')) return iceCredentialProblem('ufrag', value('a=ice-ufrag:'));
  if (line.startsWith('a=ice-pwd:')) return iceCredentialProblem('pwd', value('a=ice-pwd:'));
  return undefined;
}

/**
 * Makes every host candidate (and the c= line) announce `publicIp` instead of the local
 * address, dropping the duplicates this creates (one mux port serves every interface).
 */
export function announcePublicIp(sdp: string, publicIp: string): string {
  const family = isIP(publicIp);
  if (family === 0) throw new TypeError(`publicIp ${publicIp} is not an IP address`);
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of sdp.split(eol)) {
    if (line.startsWith('c=IN ')) {
      out.push(`c=IN IP${family} ${publicIp}`);
      continue;
    }
    const rewritten = rewriteHostCandidate(line, publicIp);
    if (rewritten !== line) {
      const key = rewritten.split(' ').slice(4, 6).join(' '); // address port
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(rewritten);
  }
  return out.join(eol);
}

// a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ host …
function rewriteHostCandidate(line: string, publicIp: string): string {
  if (!CANDIDATE.test(line)) return line;
  const parts = line.split(' ');
  if (parts[6] !== 'typ' || parts[7] !== 'host' || parts.length < 8) return line;
  parts[4] = publicIp;
  return parts.join(' ');
}

/** The SDP without its a=candidate lines (see RtcClientOptions.offerCandidates). */
export function withoutCandidates(sdp: string): string {
  return sdp.replace(/^a=candidate:.*(\r?\n|$)/gm, '');
}
