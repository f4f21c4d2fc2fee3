import { describe, expect, it } from 'vitest';
import { nativeIceServers } from './ice-servers.js';

describe('nativeIceServers', () => {
  it('keeps plain strings (STUN URLs) as they are', () => {
    expect(nativeIceServers(['stun:stun.example.org:3478'])).toEqual([
      'stun:stun.example.org:3478',
    ]);
  });

  it('turns each TURN URL into an object carrying a colon-holding REST username', () => {
    const out = nativeIceServers([
      {
        urls: [
          'turn:127.0.0.1:3478?transport=udp',
          'turn:turn.example.org?transport=tcp',
          'turns:[2001:db8::1]:443',
          'stun:stun.example.org',
        ],
        username: '1700000000:alice',
        credential: 'Or2+y4pClBAA8mU3e93KEtAPsJs=',
      },
    ]);
    const creds = { username: '1700000000:alice', password: 'Or2+y4pClBAA8mU3e93KEtAPsJs=' };
    expect(out).toEqual([
      { hostname: '127.0.0.1', port: 3478, relayType: 'TurnUdp', ...creds },
      { hostname: 'turn.example.org', port: 3478, relayType: 'TurnTcp', ...creds },
      { hostname: '2001:db8::1', port: 443, relayType: 'TurnTls', ...creds },
      'stun:stun.example.org',
    ]);
  });

  it('refuses a URL it cannot read rather than dropping it silently', () => {
    expect(() => nativeIceServers([{ urls: 'http://turn.example.org' }])).toThrow(TypeError);
  });
});
