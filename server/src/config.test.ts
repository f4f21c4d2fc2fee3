import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, roomProcessEnv } from './config.js';

describe('loadConfig', () => {
  it('gives the DESIGN.md defaults and local mode with no settings', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      DATA_DIR: '.data',
      LOCAL_DYNAMODB_PORT: 8000,
      LOCAL_COGNITO_PORT: 9229,
      PLAYERS_TABLE: 'players',
      LEASE_SECONDS: 60,
      HEARTBEAT_TIMEOUT_MS: 3000,
      RTC_UDP_PORT: 10000,
      AUTH_MERGE_LOGIN_ERRORS: false,
      SESSION_CACHE: true,
      ROOM_NICE: 0,
      ROOM_RT_PRIORITY: 0,
      mode: { kind: 'local' },
    });
  });

  it('runs one process by default; more need Redis, said in one line naming REDIS_URL', () => {
    expect(loadConfig({}).NODES).toBe(1);
    expect(() => loadConfig({ NODES: '4' })).toThrow(
      /^REDIS_URL must be set when NODES is more than 1 \(got NODES=4\)$/,
    );
    expect(loadConfig({ NODES: '4', REDIS_URL: 'redis://127.0.0.1:6379' }).NODES).toBe(4);
  });

  it('is frozen', () => {
    const c = loadConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => Object.assign(c, { PORT: 1 })).toThrow(TypeError);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LEASE_SECONDS', '1.5'],
    ['HEARTBEAT_TIMEOUT_MS', '-3'],
    ['PUBLIC_IP', 'not-an-ip'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['AUTH_MERGE_LOGIN_ERRORS', 'yes'],
    ['SESSION_CACHE', 'off'],
    ['DYNAMODB_ENDPOINT', 'nope'],
    ['PLAYERS_TABLE', 'x'],
    ['CACHE_TTL_SECONDS', '0'],
    ['CACHE_KEY_PREFIX', 'has spaces'],
    ['METRICS_PORT', '0'],
    ['NODES', '0'],
    ['NODES', 'four'],
    ['ROOM_NICE', '5'],
    ['ROOM_NICE', '-21'],
    ['ROOM_NICE', '-2.5'],
    ['ROOM_RT_PRIORITY', '-1'],
    ['ROOM_RT_PRIORITY', '100'],
    ['ROOM_RT_PRIORITY', '1.5'],
  ])('refuses %s=%s with one line naming the variable', (key, value) => {
    let error: unknown;
    try {
      loadConfig({ [key]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`${key} must be `)).toBe(true);
    expect(message).toContain(JSON.stringify(value));
    expect(message).not.toContain('\n');
  });

  it('turns on AWS mode with a pool id, taking the region from it when unset', () => {
    const c = loadConfig({ COGNITO_USER_POOL_ID: 'eu-west-1_AbC123', COGNITO_CLIENT_ID: 'abc123' });
    expect(c.mode).toEqual({
      kind: 'aws',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbC123',
      clientId: 'abc123',
    });
  });

  it('refuses AWS mode without a client id', () => {
    expect(() => loadConfig({ COGNITO_USER_POOL_ID: 'eu-west-1_AbC123' })).toThrow(
      /^COGNITO_CLIENT_ID must be set/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', PUBLIC_IP: '' }).PORT).toBe(8080);
  });
});

describe('TLS_CERT_FILE and TLS_KEY_FILE', () => {
  // Only whether the files can be read is checked here; the PEM contents at listen time.
  const dir = mkdtempSync(join(tmpdir(), 'duel-config-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, 'certificate');
  writeFileSync(key, 'key');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are unset by default: PORT serves plain HTTP', () => {
    const c = loadConfig({});
    expect(c.TLS_CERT_FILE).toBeUndefined();
    expect(c.TLS_KEY_FILE).toBeUndefined();
  });

  it('take two readable files together', () => {
    expect(loadConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key })).toMatchObject({
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
    });
  });

  it.each([
    ['TLS_KEY_FILE', { TLS_CERT_FILE: cert }],
    ['TLS_CERT_FILE', { TLS_KEY_FILE: key }],
  ])('refuse one without the other, naming the missing %s', (missing, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${missing} must be set when`));
  });

  it.each([
    ['TLS_CERT_FILE', { TLS_CERT_FILE: join(dir, 'absent.pem'), TLS_KEY_FILE: key }],
    ['TLS_KEY_FILE', { TLS_CERT_FILE: cert, TLS_KEY_FILE: join(dir, 'absent.pem') }],
    ['TLS_KEY_FILE', { TLS_CERT_FILE: cert, TLS_KEY_FILE: dir }],
  ])('refuse a path that is not a readable file, naming %s', (variable, env) => {
    const read = () => loadConfig(env);
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^${variable} must be a readable file \\(got "`));
  });
});

describe('roomProcessEnv', () => {
  it('holds malloc to two arenas, trims freed memory, and keeps the rest of the environment', () => {
    const env = roomProcessEnv({ PATH: '/usr/bin', REDIS_URL: 'redis://x' });
    expect(env).toEqual({
      PATH: '/usr/bin',
      REDIS_URL: 'redis://x',
      MALLOC_ARENA_MAX: '2',
      MALLOC_TRIM_THRESHOLD_: '65536',
      MALLOC_TOP_PAD_: '0',
    });
  });

  it("keeps the operator's own malloc settings", () => {
    const env = roomProcessEnv({ MALLOC_ARENA_MAX: '8', MALLOC_TOP_PAD_: '131072' });
    expect(env.MALLOC_ARENA_MAX).toBe('8');
    expect(env.MALLOC_TOP_PAD_).toBe('131072');
    expect(env.MALLOC_TRIM_THRESHOLD_).toBe('65536');
  });
});
