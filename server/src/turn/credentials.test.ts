import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { iceServersFor, turnCredentials, turnPassword, TTL_MARGIN_SECONDS } from './credentials.js';

const SECRET = 'north-sea-secret';
const turnEnv = { TURN_URLS: 'turn:127.0.0.1:3478?transport=udp', TURN_SECRET: SECRET };

describe('turnPassword', () => {
  it('is base64 HMAC-SHA1: the RFC 2202 test case 2 vector', () => {
    // key "Jefe", data "what do ya want for nothing?" -> effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
    expect(turnPassword('what do ya want for nothing?', 'Jefe')).toBe(
      '7/zfauXrL6LSdBbV8YTfnCWafHk=',
    );
  });

  it('matches what openssl computes for a TURN username', () => {
    // echo -n '1700000000:alice' | openssl dgst -sha1 -hmac north-sea-secret -binary | base64
    expect(turnPassword('1700000000:alice', SECRET)).toBe('Or2+y4pClBAA8mU3e93KEtAPsJs=');
  });
});

describe('turnCredentials', () => {
  it('names the user and the expiry in the username, and signs exactly that', () => {
    const c = turnCredentials(
      { urls: ['turn:a:3478'], secret: SECRET },
      'alice',
      300,
      1_699_999_700_900,
    );
    expect(c).toEqual({
      urls: ['turn:a:3478'],
      username: '1700000000:alice',
      credential: 'Or2+y4pClBAA8mU3e93KEtAPsJs=',
    });
  });
});

describe('iceServersFor', () => {
  it('is an empty list without TURN settings, so clients connect directly', () => {
    const answer = iceServersFor(loadConfig({ MATCH_SECONDS: '60' }), 'alice', 0);
    expect(answer).toEqual({ iceServers: [], ttlSeconds: 60 + TTL_MARGIN_SECONDS });
  });

  it('hands out credentials that outlive a match, for every configured URL', () => {
    const config = loadConfig({
      ...turnEnv,
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:443',
    });
    const { iceServers, ttlSeconds } = iceServersFor(config, 'bob', 1_000_000);
    expect(ttlSeconds).toBeGreaterThan(config.MATCH_SECONDS);
    expect(iceServers).toHaveLength(1);
    const [server] = iceServers;
    expect(server?.urls).toEqual([
      'turn:turn.example.org:3478?transport=udp',
      'turns:turn.example.org:443',
    ]);
    expect(server?.username).toBe(`${1000 + ttlSeconds}:bob`);
    expect(server?.credential).toBe(turnPassword(server?.username ?? '', SECRET));
  });
});
