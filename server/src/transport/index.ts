// The only door to node-datachannel. Match code sees Peer and never a library type.
export {
  createRtcClient,
  CHANNELS,
  type CandidatePair,
  type RtcClient,
  type RtcClientOptions,
} from './client.js';
export type { IceServerSpec } from './ice-servers.js';
export {
  isOfferRefusal,
  isTransportError,
  TransportError,
  type OfferRefusalCode,
  type TransportErrorCode,
} from './errors.js';
export type { ChannelName, Peer, TransportLogger } from './peer.js';
export { MAX_CANDIDATES, MAX_SDP_BYTES, validateOfferSdp } from './sdp.js';
export {
  createRtcServer,
  type AnswerOptions,
  type RtcServer,
  type RtcServerOptions,
} from './server.js';
export { shutdownTransport } from './shutdown.js';
