import { describe, expect, it } from 'vitest';
import { relayOnly } from './ice.js';

describe('relayOnly (the test switch)', () => {
  it.each([
    ['127.0.0.1', '?test&relay'],
    ['localhost', '?relay'],
    ['[::1]', '?relay=1'],
  ])('is on for %s%s', (hostname, search) => {
    expect(relayOnly({ hostname, search })).toBe(true);
  });

  it.each([
    ['duel.example.org', '?relay'],
    ['10.0.0.5', '?relay'],
    ['127.0.0.1', '?test'],
    ['127.0.0.1', ''],
  ])('is off for %s%s: production pages ignore the flag', (hostname, search) => {
    expect(relayOnly({ hostname, search })).toBe(false);
  });
});
