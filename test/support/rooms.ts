// Match rooms for REST tests: a real RoomHost (its worker thread, node-datachannel on a free
// UDP port on loopback), and real WebRTC offers from this process.
import { createSocket } from 'node:dgram';
import { pino } from 'pino';
import { RoomHost } from '../../server/src/match/index.js';

const logger = pino({ level: 'silent' });

export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function startRooms(heartbeatTimeoutMs = 3000): Promise<RoomHost> {
  return RoomHost.start({
    udpPort: await freeUdpPort(),
    bindAddress: '127.0.0.1',
    heartbeatTimeoutMs,
    logger,
  });
}

/**
 * A real non-trickle offer saved from node-datachannel. A lone waiting ticket is never
 * answered, so no peer is needed behind it; and this process must not load node-datachannel
 * beside the room worker (its peer registry is process-wide).
 */
export const SAVED_OFFER = [
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
