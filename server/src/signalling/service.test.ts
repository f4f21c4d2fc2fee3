import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { MatchEvent } from '../../../shared/src/net/api-client.js';
import { RoomError } from '../match/worker-protocol.js';
import { InMemoryMatchmaker } from '../matchmaking/in-memory.js';
import { SignallingService, type MatchHost } from './service.js';

const FP = Array.from({ length: 32 }, () => 'AB').join(':');
const offer = (ufrag: string) =>
  [
    'v=0',
    'o=rtc 1 0 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    `a=fingerprint:sha-256 ${FP}`,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    `a=ice-ufrag:${ufrag}`,
    'a=ice-pwd:1Nk7C6Vsul47kt95QHLX7W',
    '',
  ].join('\r\n');

/** Refuses every offer whose ufrag is "badd" (as libdatachannel would), answers the rest. */
const host: MatchHost = {
  createMatch({ players }) {
    const badSlots = ([0, 1] as const).filter((s) => players[s].offerSdp.includes('ufrag:badd'));
    if (badSlots.length) return Promise.reject(new RoomError('bad_offer', 'refused', badSlots));
    return Promise.resolve({ answers: ['answer-0', 'answer-1'] });
  },
  // Only alice (u-alice) has a seat waiting, in match m-live.
  rejoinMatch({ matchId, userId }) {
    if (matchId === 'm-live' && userId === 'u-alice') return Promise.resolve({ answer: 'again' });
    return Promise.reject(new RoomError('no_seat', 'no seat'));
  },
};

function setup() {
  const matchmaker = new InMemoryMatchmaker({ now: () => 0 });
  const service = new SignallingService({
    matchmaker,
    host,
    logger: pino({ level: 'silent' }),
    now: () => 0,
  });
  /** Queues a player; `last()` is the latest event on their ticket's stream. */
  async function queue(name: string, ufrag: string) {
    const caller = { userId: `id-${name}`, username: name };
    const { ticketId } = await service.request(caller, offer(ufrag));
    const events: MatchEvent[] = [];
    await service.subscribe(ticketId, caller.userId, (e) => events.push(e));
    return { last: () => events.at(-1) };
  }
  return { queue, matchmaker, service };
}

describe('SignallingService when an offer is refused at pairing', () => {
  it('fails only the refused ticket; its partner stays queued and is matched next', async () => {
    const { queue, matchmaker } = setup();
    const good = await queue('alice', 'good');
    const bad = await queue('mallory', 'badd');
    // The partner is queued again before the refused ticket is told.
    await vi.waitFor(() =>
      expect(bad.last()).toMatchObject({ type: 'failed', code: 'invalid_sdp' }),
    );
    expect(good.last()).toMatchObject({ type: 'waiting' });
    expect(await matchmaker.queueLength()).toBe(1);

    const next = await queue('bob', 'fine');
    await vi.waitFor(() => expect(good.last()).toMatchObject({ type: 'matched', opponent: 'bob' }));
    expect(next.last()).toMatchObject({ type: 'matched', opponent: 'alice' });
  });

  it('fails both tickets when both offers are refused', async () => {
    const { queue, matchmaker } = setup();
    const a = await queue('alice', 'badd');
    const b = await queue('bob', 'badd');
    await vi.waitFor(() => expect(b.last()).toMatchObject({ type: 'failed', code: 'invalid_sdp' }));
    expect(a.last()).toMatchObject({ type: 'failed', code: 'invalid_sdp' });
    expect(await matchmaker.queueLength()).toBe(0);
  });
});

describe('SignallingService.rejoin', () => {
  const caller = (name: string) => ({ userId: `u-${name}`, username: name });
  it('answers the seat’s own player; anyone else, or another match, gets 404 not_found', async () => {
    const { service } = setup();
    await expect(service.rejoin(caller('alice'), 'm-live', offer('fine'))).resolves.toEqual({
      answer: 'again',
    });
    await expect(service.rejoin(caller('mallory'), 'm-live', offer('fine'))).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(service.rejoin(caller('alice'), 'm-other', offer('fine'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });
  it('refuses a malformed offer with 400 before any host sees it', async () => {
    const { service } = setup();
    await expect(service.rejoin(caller('alice'), 'm-live', 'v=0 nonsense')).rejects.toMatchObject({
      code: 'invalid_sdp',
    });
    await expect(service.rejoin(caller('alice'), 'm-live', 42)).rejects.toMatchObject({
      code: 'invalid_sdp',
    });
  });
});
