import { describe, expect, it } from 'vitest';
import { encodeLeave } from '../../../shared/src/protocol/index.js';
import { FakePeer } from '../transport/fake-peer.js';
import { TransportError, type RtcServer } from '../transport/index.js';
import { ManualTimers } from './manual-timers.js';
import { MatchWorker } from './match-worker.js';
import { RoomError } from './worker-protocol.js';
import { createScheduler } from './scheduler.js';
import type { WorkerEvent, WorkerSettings } from './worker-protocol.js';

const settings: WorkerSettings = {
  udpPort: 10_000,
  bindAddress: '127.0.0.1',
  publicIp: undefined,
  iceServers: [],
  heartbeatTimeoutMs: 3_000,
  snapshotRate: 30,
  matchTicks: 10_800,
  connectTimeoutMs: 15_000,
  pingIntervalMs: 500,
  inputQueueSize: 8,
  closeGraceMs: 100,
  answerTimeoutMs: 5_000,
  faultInjection: false,
  nice: 0,
  realtimePriority: 0,
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** An RtcServer that answers with FakePeers, or refuses offers that say "bad". */
class FakeRtcServer implements RtcServer {
  readonly peers: FakePeer[] = [];
  closed = false;
  answer(offerSdp: string) {
    if (offerSdp === 'bad') return Promise.reject(new TransportError('invalid_sdp', 'bad offer'));
    const peer = new FakePeer(`p${this.peers.length}`);
    this.peers.push(peer);
    return Promise.resolve({ answerSdp: `answer-${offerSdp}`, peer });
  }
  get peerCount() {
    return this.peers.filter((p) => p.closedReason === undefined).length;
  }
  close() {
    this.closed = true;
  }
}

function setup() {
  const timers = new ManualTimers();
  const rtc = new FakeRtcServer();
  const events: WorkerEvent[] = [];
  const worker = new MatchWorker({
    settings,
    rtc,
    scheduler: createScheduler(timers),
    logger: silent,
    emit: (e) => events.push(e),
  });
  /** create()'s arguments after the match id: the seated players and their offers. */
  const players = (a = 'offer-a', b = 'offer-b') =>
    [
      [
        { userId: 'ua', username: 'alice', slot: 0 },
        { userId: 'ub', username: 'bob', slot: 1 },
      ],
      [a, b],
    ] as const;
  return { timers, rtc, events, worker, players };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof RoomError ? e.code : String(e)),
  );

describe('MatchWorker', () => {
  it('answers both offers and reports the match lifecycle as events', async () => {
    const { rtc, events, worker, players } = setup();
    expect(await worker.create('m1', ...players())).toEqual({
      answers: ['answer-offer-a', 'answer-offer-b'],
    });
    for (const p of rtc.peers) p.open();
    rtc.peers[0]?.receive('control', encodeLeave());
    expect(events.map((e) => e.name)).toEqual(['matchStarted', 'playerLeft', 'matchEnded']);
    expect(events[1]).toEqual({ name: 'playerLeft', data: { matchId: 'm1', userId: 'ua' } });
    expect(events[2]).toMatchObject({
      name: 'matchEnded',
      data: {
        matchId: 'm1',
        reason: 'opponent_left',
        winnerSlot: 1,
        players: [
          { userId: 'ua', username: 'alice', slot: 0 },
          { userId: 'ub', username: 'bob', slot: 1 },
        ],
      },
    });
  });

  it('refuses a duplicate match id', async () => {
    const { worker, players } = setup();
    await worker.create('m1', ...players());
    expect(await codeOf(worker.create('m1', ...players()))).toBe('duplicate_match');
  });

  it('names the player whose offer was refused and closes the peer it did make', async () => {
    const { rtc, worker, players } = setup();
    const failure = await worker
      .create('m1', ...players('offer-a', 'bad'))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RoomError);
    expect(failure).toMatchObject({ code: 'bad_offer', badSlots: [1] });
    expect(rtc.peers[0]?.closedReason).toBe('closed_locally');
    expect(worker.stats().matches).toBe(0);
  });

  it('names both players when both offers were refused', async () => {
    const { worker, players } = setup();
    const failure = await worker.create('m1', ...players('bad', 'bad')).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'bad_offer', badSlots: [0, 1] });
  });

  it('stop ends every match with server_stopping and waits for the rooms to close', async () => {
    const { timers, rtc, events, worker, players } = setup();
    await worker.create('m1', ...players());
    await worker.create('m2', ...players());
    for (const p of rtc.peers) p.open();
    const stopped = worker.stop(2_000);
    expect(events.filter((e) => e.name === 'matchEnded')).toHaveLength(2);
    timers.advance(100); // close grace: the room closes the peers
    expect(await stopped).toEqual({ unfinished: 0 });
    expect(rtc.closed).toBe(true);
    expect(await codeOf(worker.create('m3', ...players()))).toBe('server_stopping');
  });

  it('stats counts matches, connected players and RTTs', async () => {
    const { rtc, worker, players } = setup();
    await worker.create('m1', ...players());
    rtc.peers[0]?.open();
    expect(worker.stats()).toMatchObject({
      matches: 1,
      players: 1,
      peers: 2,
      rtt: [
        { matchId: 'm1', userId: 'ua', rttMs: null },
        { matchId: 'm1', userId: 'ub', rttMs: null },
      ],
    });
  });

  it('end reports whether the match was found', async () => {
    const { worker, players, events } = setup();
    await worker.create('m1', ...players());
    expect(worker.end('m1', 'admin_ended')).toEqual({ found: true });
    expect(worker.end('nope', 'admin_ended')).toEqual({ found: false });
    expect(events.at(-1)).toMatchObject({ data: { reason: 'admin_ended', durationSec: 0 } });
  });
});
