// fast-check arbitraries that break real SDP offers the ways a hostile client would: lines
// dropped, duplicated, swapped or reordered, bad fingerprints, bad ports, huge attributes and
// bad candidates. Used by the offer fuzz test against the real library.
import fc from 'fast-check';

type Mutation = (lines: string[]) => string[];

const at = (lines: string[], i: number) => i % Math.max(1, lines.length);
const replaceWhere = (lines: string[], prefix: string, value: string) =>
  lines.map((l) => (l.startsWith(prefix) ? value : l));

const token = fc.stringMatching(/^[\x21-\x7e]{0,24}$/);
const hexPairs = fc
  .array(fc.stringMatching(/^[0-9A-Fa-f]{2}$/), { minLength: 0, maxLength: 70 })
  .map((p) => p.join(':'));

const dropLine = fc.nat().map(
  (i): Mutation =>
    (l) =>
      l.filter((_, j) => j !== at(l, i)),
);
const duplicateLine = fc.nat().map((i): Mutation => (l) => {
  const k = at(l, i);
  return [...l.slice(0, k + 1), l[k] ?? '', ...l.slice(k + 1)];
});
const swapValues = fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Mutation => (l) => {
  const [a, b] = [at(l, i), at(l, j)];
  const value = (s: string) => s.slice(s.indexOf('=') + 1);
  const kind = (s: string) => s.slice(0, s.indexOf('=') + 1);
  return l.map((s, k) =>
    k === a ? kind(s) + value(l[b] ?? '') : k === b ? kind(s) + value(l[a] ?? '') : s,
  );
});
const swapLines = fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Mutation => (l) => {
  const out = [...l];
  const [a, b] = [at(l, i), at(l, j)];
  [out[a], out[b]] = [out[b] ?? '', out[a] ?? ''];
  return out;
});
const badFingerprint = fc
  .tuple(
    fc.constantFrom('sha-256', 'sha-1', 'sha-512', 'md5', 'SHA-256', '', 'sha-999'),
    hexPairs,
    token,
  )
  .map(
    ([hash, hex, junk]): Mutation =>
      (l) =>
        replaceWhere(
          l,
          'a=fingerprint:',
          `a=fingerprint:${hash} ${hex}${junk ? ` ${junk}` : ''}`.trimEnd(),
        ),
  );
const badPort = fc
  .oneof(
    fc.constantFrom('0', '65536', '-1', '99999999999', 'x', '9/2', ''),
    fc.integer({ min: -10, max: 70_000 }).map(String),
  )
  .map(
    (port): Mutation =>
      (l) =>
        l.map((s) =>
          s.startsWith('m=application ')
            ? s.replace(/^m=application \S*/, `m=application ${port}`)
            : s,
        ),
  );
const hugeAttribute = fc
  .tuple(
    fc.constantFrom(
      'a=ice-ufrag:',
      'a=ice-pwd:',
      'a=mid:',
      'a=x-huge:',
      'a=candidate:',
      'a=fingerprint:sha-256 ',
    ),
    fc.integer({ min: 200, max: 17_000 }),
    fc.constantFrom('A', '0', ':', ' '),
  )
  .map(([prefix, n, ch]): Mutation => (l) => [
    ...l.slice(0, 4),
    prefix + ch.repeat(n),
    ...l.slice(4),
  ]);
const candidateField = fc.oneof(
  token,
  fc.constantFrom(
    'typ',
    'host',
    'raddr',
    'rport',
    'UDP',
    'TCP',
    '0',
    '65536',
    '4294967296',
    '::1',
    '127.0.0.1',
    'x.local',
  ),
);
const badCandidate = fc
  .array(candidateField, { minLength: 0, maxLength: 14 })
  .map((fields): Mutation => (l) => {
    const k = l.findIndex((s) => s.startsWith('a=candidate:'));
    const line = `a=candidate:${fields.join(' ')}`;
    return k < 0 ? [...l, line] : [...l.slice(0, k), line, ...l.slice(k + 1)];
  });
const manyCandidates = fc.integer({ min: 2, max: 25 }).map((n): Mutation => (l) => {
  const c =
    l.find((s) => s.startsWith('a=candidate:')) ?? 'a=candidate:1 1 UDP 1 127.0.0.1 9 typ host';
  return [...l, ...Array.from({ length: n }, () => c)];
});
const insertChar = fc
  .tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 0x2fff }))
  .map(([i, j, code]): Mutation => (l) => {
    const k = at(l, i);
    const s = l[k] ?? '';
    const p = j % (s.length + 1);
    return l.map((x, n) => (n === k ? s.slice(0, p) + String.fromCharCode(code) + s.slice(p) : x));
  });
// A value libdatachannel parses itself (sctp-port, max-message-size, setup, mid, …) made junk.
const garbleValue = fc
  .tuple(fc.nat(), fc.oneof(token, fc.constantFrom('abc', '-1', '99999999999', '')))
  .map(([i, junk]): Mutation => (l) => {
    const attrs = l.map((s, k) => [s, k] as const).filter(([s]) => /^a=[^:]+:/.test(s));
    const [line, k] = attrs[i % Math.max(1, attrs.length)] ?? ['', -1];
    return l.map((s, n) => (n === k ? line.slice(0, line.indexOf(':') + 1) + junk : s));
  });
const truncate = fc.nat().map(
  (i): Mutation =>
    (l) =>
      l.slice(0, at(l, i)),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  dropLine,
  duplicateLine,
  swapValues,
  swapLines,
  badFingerprint,
  badPort,
  hugeAttribute,
  badCandidate,
  manyCandidates,
  insertChar,
  garbleValue,
  garbleValue, // twice: the values libdatachannel judges are where the native refusals are
  truncate,
);

/** One of `offers`, with 1–3 mutations applied, joined with CRLF or LF. */
export function mutatedOffer(offers: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...offers),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
    )
    .map(([offer, mutations, crlf]) => {
      const lines = mutations.reduce((l, m) => m(l), offer.split(/\r?\n/));
      return lines.join(crlf ? '\r\n' : '\n');
    });
}
