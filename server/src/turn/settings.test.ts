// The TURN lines of the config module: validated URLs, and both settings or neither.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

const secret = 'a-secret-of-some-length';

describe('TURN settings', () => {
  it('are unset by default', () => {
    const c = loadConfig({});
    expect(c.TURN_URLS).toBeUndefined();
    expect(c.TURN_SECRET).toBeUndefined();
  });

  it('split TURN_URLS on commas, trimming spaces', () => {
    const c = loadConfig({
      TURN_URLS:
        'turn:10.0.0.5:3478?transport=udp , turns:turn.example.org:443?transport=tcp,turn:[::1]',
      TURN_SECRET: secret,
    });
    expect(c.TURN_URLS).toEqual([
      'turn:10.0.0.5:3478?transport=udp',
      'turns:turn.example.org:443?transport=tcp',
      'turn:[::1]',
    ]);
    expect(c.TURN_SECRET).toBe(secret);
  });

  it.each([
    ['stun:stun.example.org:3478'],
    ['http://turn.example.org'],
    ['turn:user:pass@turn.example.org'],
    ['turn:turn.example.org:3478?transport=sctp'],
    ['turn:a.example.org,,turn:b.example.org'],
    ['turn:'],
  ])('refuse TURN_URLS=%s naming the variable', (value) => {
    expect(() => loadConfig({ TURN_URLS: value, TURN_SECRET: secret })).toThrow(
      new ConfigError(
        `TURN_URLS must be comma-separated turn: or turns: URLs (got ${JSON.stringify(value)})`,
      ),
    );
  });

  it('refuse a short secret', () => {
    expect(() => loadConfig({ TURN_URLS: 'turn:a.example.org', TURN_SECRET: 'short' })).toThrow(
      /^TURN_SECRET must be a secret of at least 16 characters/,
    );
  });

  it.each([[{ TURN_URLS: 'turn:a.example.org' }], [{ TURN_SECRET: secret }]])(
    'must come together (%o)',
    (env) => {
      expect(() => loadConfig(env)).toThrow(
        new ConfigError('TURN_URLS and TURN_SECRET must be set together, or neither'),
      );
    },
  );
});
