// Server side: answers browser offers. All peers share ONE UDP port (ICE UDP mux).
import { randomUUID } from 'node:crypto';
import nodeDataChannel, { type PeerConnection, type RtcConfig } from 'node-datachannel';
import { TransportError } from './errors.js';
import { gatheringComplete } from './gathering.js';
import { configureSctp } from './sctp.js';
import { NdcPeer, type Peer, type TransportLogger } from './peer.js';
import { announcePublicIp, validateOfferSdp } from './sdp.js';

export interface RtcServerOptions {
  /** The one UDP port every peer uses. */
  readonly udpPort: number;
  /** Local address to bind, e.g. 0.0.0.0 or 127.0.0.1. */
  readonly bindAddress: string;
  /** Address to announce in host candidates (EC2 1:1 NAT); unset: the local address. */
  readonly publicIp?: string | undefined;
  /** STUN/TURN URLs, e.g. stun:stun.example.org:3478. */
  readonly iceServers?: readonly string[] | undefined;
  readonly logger: TransportLogger;
}

export interface AnswerOptions {
  /** Upper bound on gathering the answer's candidates. */
  readonly timeoutMs?: number;
}

export interface RtcServer {
  /** Validates a non-trickle offer and answers it; the peer's channels open later. */
  answer(offerSdp: string, opts?: AnswerOptions): Promise<{ answerSdp: string; peer: Peer }>;
  /** Peers created and not closed yet. */
  readonly peerCount: number;
  /** Closes every peer. */
  close(): void;
}

const DEFAULT_ANSWER_TIMEOUT_MS = 5_000;

export function createRtcServer(options: RtcServerOptions): RtcServer {
  configureSctp();
  const peers = new Set<NdcPeer>();
  const config: RtcConfig = {
    iceServers: [...(options.iceServers ?? [])],
    bindAddress: options.bindAddress,
    enableIceUdpMux: true,
    portRangeBegin: options.udpPort,
    portRangeEnd: options.udpPort,
  };

  async function answer(offerSdp: string, opts: AnswerOptions = {}) {
    validateOfferSdp(offerSdp); // before any native call
    const id = randomUUID();
    const pc = new nodeDataChannel.PeerConnection(id, config);
    const peer = new NdcPeer(id, pc, options.logger);
    peers.add(peer);
    peer.onClose(() => peers.delete(peer));
    // Registered before the offer is set, which starts gathering; settled on every path below.
    const gathering = gatheringComplete(pc, opts.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
    try {
      pc.onDataChannel((dc) => peer.attach(dc));
      setOffer(pc, offerSdp);
      const sdp = await gathering.sdp;
      const answerSdp = options.publicIp ? announcePublicIp(sdp, options.publicIp) : sdp;
      return { answerSdp, peer };
    } catch (err) {
      gathering.cancel(err instanceof Error ? err : new Error(String(err)));
      peer.close();
      throw err;
    }
  }

  return {
    answer,
    get peerCount() {
      return peers.size;
    },
    close() {
      for (const peer of [...peers]) peer.close();
    },
  };
}

// libdatachannel parses the SDP and, with auto-negotiation, creates the answer itself.
function setOffer(pc: PeerConnection, offerSdp: string): void {
  try {
    pc.setRemoteDescription(offerSdp, 'offer');
  } catch (cause) {
    // Gathering depends on this side only (its UDP port taken by another process, say): the
    // server's failure, which the player must not be told is their offer's.
    if (String(cause).includes(NO_LOCAL_CANDIDATES))
      throw new TransportError('unavailable', 'no local ICE candidate: is RTC_UDP_PORT free?', {
        cause,
      });
    throw new TransportError('invalid_sdp', 'libdatachannel refused the offer', { cause });
  }
}

/** libdatachannel's words when its ICE agent could not gather (bind) at all. */
const NO_LOCAL_CANDIDATES = 'Failed to gather local ICE candidates';
