// The bot's --relay-only check: libdatachannel may still pair its host socket, so the bot
// itself refuses to play over anything but a relay candidate.
import { describe, expect, it } from 'vitest';
import type { CandidatePair, RtcClient } from '../transport/index.js';
import { relayedPair } from './run.js';

const SERVER = { type: 'host', address: '127.0.0.1', port: 10000 };
const client = (pair: CandidatePair | undefined): RtcClient => ({
  offerSdp: Promise.resolve(''),
  accept: () => Promise.reject(new Error('not used')),
  selectedCandidatePair: () => pair,
  close: () => undefined,
});

describe('relayedPair', () => {
  it('passes a relayed pair through', () => {
    const pair = { local: { type: 'relay', address: '127.0.0.1', port: 50000 }, remote: SERVER };
    expect(relayedPair(client(pair), true)).toEqual(pair);
  });

  it.each(['host', 'srflx', 'prflx'])('refuses a %s local candidate when relay-only', (type) => {
    const pair = { local: { type, address: '127.0.0.1', port: 40000 }, remote: SERVER };
    expect(() => relayedPair(client(pair), true)).toThrow(`relay-only: ICE selected a ${type}`);
    expect(relayedPair(client(pair), false)).toEqual(pair);
  });

  it('refuses an unknown pair when relay-only', () => {
    expect(() => relayedPair(client(undefined), true)).toThrow(/relay-only/);
    expect(relayedPair(client(undefined), undefined)).toBeUndefined();
  });
});
