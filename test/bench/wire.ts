// What a datagram on `state` costs on the wire beyond its payload, by layer. These are the
// constants every on-wire figure of the benchmark uses (docs/performance.md states them).
export const DATAGRAM_OVERHEAD = {
  /** IPv4 header, no options. */
  ipv4: 20,
  udp: 8,
  /** DTLS 1.2 record: 13-byte header + 16-byte AEAD tag (no explicit nonce counted). */
  dtls: 29,
  /** SCTP common header. */
  sctpCommon: 12,
  /** SCTP DATA chunk header (type, flags, length, TSN, stream, SSN, PPID). */
  sctpData: 16,
} as const;

/** 85 bytes per datagram. */
export const OVERHEAD_BYTES = Object.values(DATAGRAM_OVERHEAD).reduce((a, b) => a + b, 0);

/** On-wire bytes of one datagram: headers, plus the payload padded to 4 bytes (SCTP chunks are). */
export const wireBytes = (payload: number): number => OVERHEAD_BYTES + Math.ceil(payload / 4) * 4;
