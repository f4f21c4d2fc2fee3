import { describe, expect, it } from 'vitest';
import { TransportError } from './errors.js';
import {
  announcePublicIp,
  MAX_CANDIDATES,
  MAX_SDP_BYTES,
  validateOfferSdp,
  withoutCandidates,
} from './sdp.js';

// A real non-trickle offer made by node-datachannel.
const offer = [
  'v=0',
  'o=rtc 1356328789 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=fingerprint:sha-256 C3:D2:5E:AB:96:B7:36:85:B2:AC:E8:FE:18:EF:97:F1:63:2E:CB:89:90:6D:FE:C1:DB:BD:76:3A:E8:AD:A1:4C',
  'm=application 39824 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 127.0.0.1',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=setup:actpass',
  'a=ice-ufrag:AM15',
  'a=ice-pwd:PSbzWQPNopn1KtNhamJs7A',
  'a=candidate:1 1 UDP 2114977791 127.0.0.1 39824 typ host',
  'a=end-of-candidates',
  '',
].join('\r\n');

function codeOf(sdp: unknown): string | undefined {
  try {
    validateOfferSdp(sdp);
    return undefined;
  } catch (err) {
    if (err instanceof TransportError) return err.code;
    throw err;
  }
}

describe('validateOfferSdp', () => {
  it('accepts a data-channel offer', () => {
    expect(codeOf(offer)).toBeUndefined();
  });
  it('refuses an offer over 16 KB', () => {
    expect(codeOf(offer + 'a=x:' + 'y'.repeat(MAX_SDP_BYTES))).toBe('sdp_too_large');
  });
  it('counts bytes, not characters', () => {
    const padding = 'é'.repeat((MAX_SDP_BYTES - offer.length) / 2 + 1);
    expect(codeOf(offer + `a=x:${padding}\r\n`)).toBe('sdp_too_large');
  });
  it(`refuses more than ${MAX_CANDIDATES} candidates`, () => {
    const candidate = 'a=candidate:1 1 UDP 2114977791 127.0.0.1 39824 typ host\r\n';
    expect(codeOf(offer + candidate.repeat(MAX_CANDIDATES - 1))).toBeUndefined();
    expect(codeOf(offer + candidate.repeat(MAX_CANDIDATES))).toBe('too_many_candidates');
  });
  it('refuses what is not a data-channel SDP', () => {
    const cases: unknown[] = [
      undefined,
      42,
      '',
      'hello',
      offer.replace('v=0', 'v=1'),
      offer.replace('m=application 39824 UDP/DTLS/SCTP', 'm=audio 9 UDP/TLS/RTP/SAVPF'),
      offer + 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\n',
      offer.replace(/a=ice-pwd:.*\r\n/, ''),
      offer.replace(/a=fingerprint:.*\r\n/, ''),
      offer.replace('s=-', 's=\u0000'),
      // What libdatachannel refused only after native resources existed (issue 11):
      offer.replace(/a=fingerprint:.*\r\n/, 'a=fingerprint:sha-256 ZZ\r\n'),
      offer.replace(/a=fingerprint:.*\r\n/, 'a=fingerprint:md5 00\r\n'),
      offer.replace('m=application 39824', 'm=application 0'),
      offer.replace('a=end-of-candidates', 'a=candidate:garbage'),
      offer.replace('a=ice-ufrag:AM15', 'a=ice-ufrag:x'),
      offer.replace('a=mid:0', 'mid:0'),
    ];
    for (const sdp of cases) expect(codeOf(sdp), String(sdp)).toBe('invalid_sdp');
  });
});

describe('announcePublicIp', () => {
  const answer = offer
    .replace(
      'a=candidate:1',
      'a=candidate:1 1 UDP 2114977791 10.0.0.5 10000 typ host\r\na=candidate:2',
    )
    .replace(
      'a=end-of-candidates',
      'a=candidate:3 1 UDP 1686052607 198.51.100.1 10000 typ srflx raddr 0.0.0.0 rport 0\r\na=end-of-candidates',
    );

  it('rewrites host candidates and the c= line, keeping other candidates', () => {
    const out = announcePublicIp(answer, '203.0.113.7');
    expect(out).toContain('c=IN IP4 203.0.113.7');
    expect(out).toContain('a=candidate:1 1 UDP 2114977791 203.0.113.7 10000 typ host');
    expect(out).toContain('a=candidate:2 1 UDP 2114977791 203.0.113.7 39824 typ host');
    expect(out).toContain('typ srflx');
    expect(out).not.toContain('10.0.0.5');
    expect(out.endsWith('\r\n')).toBe(true);
  });
  it('drops host candidates that become duplicates', () => {
    const twice = answer.replace('127.0.0.1 39824', '10.0.0.6 10000');
    const out = announcePublicIp(twice, '203.0.113.7');
    expect(out.match(/203\.0\.113\.7 10000 typ host/g)).toHaveLength(1);
  });
  it('announces an IPv6 address as IP6', () => {
    expect(announcePublicIp(answer, '2001:db8::1')).toContain('c=IN IP6 2001:db8::1');
  });
  it('refuses a value that is not an address', () => {
    expect(() => announcePublicIp(answer, 'example.com')).toThrow(TypeError);
  });
});

describe('withoutCandidates', () => {
  it('drops every a=candidate line and keeps the rest', () => {
    const out = withoutCandidates(offer);
    expect(out).not.toContain('a=candidate');
    expect(out).toBe(
      offer.replace('a=candidate:1 1 UDP 2114977791 127.0.0.1 39824 typ host\r\n', ''),
    );
    expect(() => validateOfferSdp(out)).not.toThrow();
  });
});
