// ICE servers as browsers and GET /api/ice-servers describe them ({urls, username, credential}),
// turned into libdatachannel's shape. Its own URL form ("turn:user:pass@host") cannot carry
// a TURN REST username, which holds a colon ("expiry:user"), so TURN servers go as objects.
import type { IceServer as NativeIceServer, RelayType } from 'node-datachannel';

/** One RTCIceServer: STUN or TURN URLs, with credentials for TURN. */
export interface IceServerSpec {
  readonly urls: string | readonly string[];
  readonly username?: string | undefined;
  readonly credential?: string | undefined;
}

// RFC 7064/7065: scheme, host or [IPv6], optional port, optional ?transport=.
const ICE_URL = /^(stuns?|turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/;

function relayType(scheme: string, transport: string | undefined): RelayType {
  if (scheme === 'turns') return 'TurnTls';
  return transport === 'tcp' ? 'TurnTcp' : 'TurnUdp';
}

function defaultPort(scheme: string): number {
  return scheme.endsWith('s') ? 5349 : 3478;
}

/** One URL of a spec in libdatachannel's terms; throws TypeError on a URL it cannot use. */
function toNative(url: string, spec: IceServerSpec): string | NativeIceServer {
  const m = ICE_URL.exec(url);
  if (!m?.[1] || !m[2]) throw new TypeError(`not a stun:/turn: URL: ${url}`);
  const [, scheme, host, port, transport] = m;
  if (scheme.startsWith('stun')) return url;
  return {
    hostname: host.replace(/^\[|\]$/g, ''),
    port: port ? Number(port) : defaultPort(scheme),
    relayType: relayType(scheme, transport),
    ...(spec.username === undefined ? {} : { username: spec.username }),
    ...(spec.credential === undefined ? {} : { password: spec.credential }),
  };
}

/** Every URL of every server, in the form RtcConfig.iceServers takes. */
export function nativeIceServers(
  servers: readonly (string | IceServerSpec)[],
): (string | NativeIceServer)[] {
  return servers.flatMap((s) => {
    if (typeof s === 'string') return [s];
    const urls = typeof s.urls === 'string' ? [s.urls] : s.urls;
    return urls.map((url) => toNative(url, s));
  });
}
