// Which ICE servers the browser connects through: the TURN relay and short-lived credentials
// the platform hands this player (GET /api/ice-servers), none when it runs without TURN.
import { api, authed, type Session } from '../api.js';

/**
 * Test switch: `?relay` in the page URL forces relay-only ICE, which proves the TURN path
 * works. Honoured only when the page is served from loopback (the test servers), so a link
 * to the production site cannot change how players connect.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
export const relayOnly = (loc: Pick<Location, 'hostname' | 'search'> = location): boolean =>
  LOOPBACK.has(loc.hostname) && new URLSearchParams(loc.search).has('relay');

/**
 * The RTCPeerConnection settings for one match, fetched per match so the TURN credentials
 * are fresh. A refusal fails the queueing like any other call (the lobby shows why).
 */
export async function rtcConfiguration(s: Session): Promise<RTCConfiguration> {
  const { iceServers } = await authed(s, (t) => api.iceServers(t));
  return { iceServers, iceTransportPolicy: relayOnly() ? 'relay' : 'all' };
}
