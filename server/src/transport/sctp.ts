// SCTP settings of this process's peers (libdatachannel applies them to every association
// made after the call: they are process-wide).
import nodeDataChannel from 'node-datachannel';

/**
 * How long SCTP may hold back the acknowledgement (SACK) of a received packet, ms: the
 * standard's default (RFC 9260 §6.2, also usrsctp's and Chromium's dcsctp's). libdatachannel
 * lowers it to 20 ms, and with a game's steady 30 packets a second each way (33 ms apart)
 * nearly every packet then gets a SACK datagram of its own. Held up to 200 ms, the SACK rides
 * in the next packet going the other way. Measured on loopback, 20 pairs at 30 messages/s each
 * way (test/bench/sctp-acks.ts): 123 → 64 UDP datagrams per pair-second and 23 % less CPU,
 * the same messages delivered (docs/performance.md, "Round 2 of issue 14"). Nothing a player
 * sees waits for a SACK: the state channel never retransmits, and a lost reliable packet is
 * found by the gap it leaves (a gap is acknowledged at once) or the retransmission timer,
 * neither of which this delays.
 */
export const SCTP_DELAYED_SACK_MS = 200;

let configured = false;

/** Applies the settings once per process, before its first peer. */
export function configureSctp(): void {
  if (configured) return;
  configured = true;
  nodeDataChannel.setSctpSettings({ delayedSackTime: SCTP_DELAYED_SACK_MS });
}
