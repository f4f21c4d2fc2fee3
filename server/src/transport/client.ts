// Client side (headless bot and tests): makes the offer with both channels, like a browser.
import { randomUUID } from 'node:crypto';
import nodeDataChannel, { type RtcConfig } from 'node-datachannel';
import { TransportError, withTimeout } from './errors.js';
import { gatheringComplete } from './gathering.js';
import { nativeIceServers, type IceServerSpec } from './ice-servers.js';
import { configureSctp } from './sctp.js';
import { NdcPeer, type Peer, type TransportLogger } from './peer.js';
import { withoutCandidates } from './sdp.js';

export interface RtcClientOptions {
  readonly logger: TransportLogger;
  /** Bound on gathering the offer, and separately on opening both channels. */
  readonly timeoutMs: number;
  /** Local address to gather on; unset: every interface. */
  readonly bindAddress?: string | undefined;
  /** STUN URLs, or servers as GET /api/ice-servers hands them out (TURN with credentials). */
  readonly iceServers?: readonly (string | IceServerSpec)[] | undefined;
  /** 'relay' gathers only TURN relay candidates (a test switch: it proves the relay works). */
  readonly iceTransportPolicy?: 'all' | 'relay' | undefined;
  /**
   * Keep the gathered candidates in the offer (default false). Without them the server
   * learns the client's address from the client's first ICE check (a peer-reflexive
   * candidate), which is enough because the server is the reachable side. Why not send
   * them: the server is DTLS-active and, given candidates, connects and sends its DTLS
   * ClientHello before this client has applied the answer; libdatachannel drops that
   * packet and the handshake waits for the 1 s retransmit. Browsers keep that early
   * ClientHello, so they can offer candidates as usual.
   */
  readonly offerCandidates?: boolean;
}

export interface RtcClient {
  /** The non-trickle offer (every candidate gathered). */
  readonly offerSdp: Promise<string>;
  /** Applies the server's answer; resolves when both channels are open. */
  accept(answerSdp: string): Promise<Peer>;
  /** The candidate pair ICE selected, once connected (undefined before or after). */
  selectedCandidatePair(): CandidatePair | undefined;
  /** Gives up: closes the connection. */
  close(): void;
}

export interface CandidateInfo {
  /** host, srflx, prflx or relay. */
  type: string;
  address: string;
  port: number;
}

export interface CandidatePair {
  local: CandidateInfo;
  remote: CandidateInfo;
}

const candidateInfo = (c: CandidateInfo): CandidateInfo => ({
  type: c.type,
  address: c.address,
  port: c.port,
});

/** The two channels of the protocol, with the reliability each one needs. */
export const CHANNELS = {
  control: {}, // reliable, ordered (the defaults)
  state: { unordered: true, maxRetransmits: 0 },
} as const;

export function createRtcClient(options: RtcClientOptions): RtcClient {
  configureSctp();
  const config: RtcConfig = { iceServers: nativeIceServers(options.iceServers ?? []) };
  if (options.bindAddress) config.bindAddress = options.bindAddress;
  if (options.iceTransportPolicy) config.iceTransportPolicy = options.iceTransportPolicy;
  const id = randomUUID();
  const pc = new nodeDataChannel.PeerConnection(id, config);
  const peer = new NdcPeer(id, pc, options.logger);
  const gathered = gatheringComplete(pc, options.timeoutMs);
  try {
    // Creating the first channel starts negotiation and gathering (auto-negotiation).
    peer.attach(pc.createDataChannel('control', { ...CHANNELS.control }));
    peer.attach(pc.createDataChannel('state', { ...CHANNELS.state }));
  } catch (err) {
    gathered.cancel(err instanceof Error ? err : new Error(String(err)));
    peer.close();
    throw err;
  }
  const offerSdp = gathered.sdp.then(
    (sdp) => (options.offerCandidates ? sdp : withoutCandidates(sdp)),
    (err: unknown) => {
      peer.close();
      throw err;
    },
  );
  offerSdp.catch(() => undefined); // handled by whoever awaits it; never an unhandled rejection

  async function accept(answerSdp: string): Promise<Peer> {
    await offerSdp;
    try {
      pc.setRemoteDescription(answerSdp, 'answer');
    } catch (cause) {
      peer.close();
      throw new TransportError('invalid_sdp', 'libdatachannel refused the answer', { cause });
    }
    const opened = new Promise<Peer>((resolve, reject) => {
      peer.onOpen(() => resolve(peer));
      peer.onClose((reason) =>
        reject(new TransportError('closed', `closed before open: ${reason}`)),
      );
    });
    try {
      return await withTimeout(opened, options.timeoutMs, 'opening the data channels');
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  function selectedCandidatePair(): CandidatePair | undefined {
    try {
      const pair = pc.getSelectedCandidatePair();
      return pair
        ? { local: candidateInfo(pair.local), remote: candidateInfo(pair.remote) }
        : undefined;
    } catch {
      return undefined; // the native connection is already closed
    }
  }

  return { offerSdp, accept, selectedCandidatePair, close: () => peer.close() };
}
