import { describe, expect, it } from 'vitest';
import {
  candidateProblem,
  fingerprintProblem,
  iceCredentialProblem,
  mediaPortProblem,
} from './sdp-grammar.js';

const pairs = (n: number) =>
  Array.from({ length: n }, (_, i) => (i % 256).toString(16).padStart(2, '0').toUpperCase()).join(
    ':',
  );

describe('fingerprintProblem (RFC 8122)', () => {
  it.each([
    ['sha-1', 20],
    ['sha-224', 28],
    ['sha-256', 32],
    ['SHA-256', 32],
    ['sha-384', 48],
    ['sha-512', 64],
  ])('accepts %s with %i hex pairs', (hash, n) => {
    expect(fingerprintProblem(`${hash} ${pairs(n)}`)).toBeUndefined();
  });
  it.each([
    ['an unknown hash', `md5 ${pairs(16)}`],
    ['no hash', pairs(32)],
    ['non-hex digits', 'sha-256 ZZ'],
    ['a short digest', `sha-256 ${pairs(8)}`],
    ['a long digest', `sha-256 ${pairs(33)}`],
    ['the length of another hash', `sha-1 ${pairs(32)}`],
    ['single hex digits', `sha-256 ${pairs(32).replace('00', '0')}`],
    ['a trailing colon', `sha-256 ${pairs(32)}:`],
    ['a trailing field', `sha-256 ${pairs(32)} x`],
    ['nothing after the hash', 'sha-256'],
  ])('refuses %s', (_, value) => {
    expect(fingerprintProblem(value)).toBeDefined();
  });
});

describe('mediaPortProblem', () => {
  it('accepts ports 1-65535', () => {
    for (const port of [1, 9, 39824, 65535]) {
      expect(
        mediaPortProblem(`application ${port} UDP/DTLS/SCTP webrtc-datachannel`),
      ).toBeUndefined();
    }
  });
  it.each(['0', '65536', '-1', 'x', '9/2', '000000009'])('refuses port %s', (port) => {
    expect(mediaPortProblem(`application ${port} UDP/DTLS/SCTP webrtc-datachannel`)).toBeDefined();
  });
});

describe('candidateProblem (RFC 8839)', () => {
  it.each([
    '1 1 UDP 2114977791 127.0.0.1 39824 typ host',
    '842163049 1 udp 1677729535 198.51.100.1 55555 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sK6n network-cost 999',
    '0 1 UDP 2122252543 3c8e7f0a-0c1e-4b3a-9b1f-2b7f0c1e4b3a.local 54321 typ host',
    '1 1 TCP 2105524479 2001:db8::1 9 typ host tcptype active',
    'a+b/c 2 UDP 1 10.0.0.1 1 typ relay raddr 10.0.0.2 rport 3478',
  ])('accepts %s', (value) => {
    expect(candidateProblem(value)).toBeUndefined();
  });
  it.each([
    ['garbage', 'garbage'],
    ['nothing', ''],
    ['a missing typ', '1 1 UDP 2114977791 127.0.0.1 39824 host'],
    ['a bad component', '1 0 UDP 2114977791 127.0.0.1 39824 typ host'],
    ['a big component', '1 257 UDP 2114977791 127.0.0.1 39824 typ host'],
    ['a zero priority', '1 1 UDP 0 127.0.0.1 39824 typ host'],
    ['a huge priority', '1 1 UDP 99999999999 127.0.0.1 39824 typ host'],
    ['a bad address', '1 1 UDP 2114977791 300.1.1.1.1? 39824 typ host'],
    ['a bad port', '1 1 UDP 2114977791 127.0.0.1 70000 typ host'],
    ['a foundation over 32', `${'a'.repeat(33)} 1 UDP 1 127.0.0.1 1 typ host`],
    ['an odd extension', '1 1 UDP 2114977791 127.0.0.1 39824 typ host generation'],
    ['a bad rport', '1 1 UDP 2114977791 127.0.0.1 39824 typ srflx raddr 0.0.0.0 rport x'],
    ['a bad raddr', '1 1 UDP 2114977791 127.0.0.1 39824 typ srflx raddr ::: rport 0'],
    ['double spaces', '1  1 UDP 2114977791 127.0.0.1 39824 typ host'],
  ])('refuses %s', (_, value) => {
    expect(candidateProblem(value)).toBeDefined();
  });
});

describe('iceCredentialProblem', () => {
  it('accepts browser-sized credentials', () => {
    expect(iceCredentialProblem('ufrag', 'sK6n')).toBeUndefined();
    expect(iceCredentialProblem('pwd', '1Nk7C6Vsul47kt95QHLX7W')).toBeUndefined();
  });
  it('refuses short, long or odd ones', () => {
    expect(iceCredentialProblem('ufrag', 'abc')).toBeDefined();
    expect(iceCredentialProblem('pwd', 'short')).toBeDefined();
    expect(iceCredentialProblem('ufrag', 'x'.repeat(257))).toBeDefined();
    expect(iceCredentialProblem('ufrag', 'ab cd')).toBeDefined();
  });
});
