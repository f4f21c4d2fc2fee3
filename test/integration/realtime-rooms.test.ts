// RoomHost with its real worker thread, and real WebRTC clients (the headless bot's
// player) in a child process, all on loopback.
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotMatchReport } from '../../server/src/bot/player.js';
import {
  RoomHost,
  type MatchEndedEvent,
  type RoomHostEvents,
} from '../../server/src/match/index.js';
import type { Command, Report } from './realtime-client-process.js';

const logger = pino({ level: 'warn' });
// Short enough that the silent-client test is quick, long enough that a talking client on a
// loaded 2-core machine (a stalled event loop, a GC pause) is never taken for a silent one.
const HEARTBEAT_MS = 1_500;

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** The client process: send it commands, wait for what its clients report. */
class Clients {
  private readonly child: ChildProcess;
  readonly reports: Report[] = [];
  private waiters: { match: (r: Report) => boolean; resolve: (r: Report) => void }[] = [];

  constructor() {
    const entry = fileURLToPath(new URL('./realtime-client-process.ts', import.meta.url));
    this.child = fork(entry, { execArgv: ['--import', 'tsx'] });
    this.child.on('message', (r: Report) => {
      this.reports.push(r);
      if (r.ev === 'failed') throw new Error(`client ${r.id}: ${r.error}`);
      this.waiters = this.waiters.filter((w) => !(w.match(r) && (w.resolve(r), true)));
    });
  }
  send(c: Command): void {
    this.child.send(c);
  }
  /** The first report (already seen or still to come) that matches. */
  next(match: (r: Report) => boolean): Promise<Report> {
    const seen = this.reports.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
  async offer(id: string): Promise<string> {
    this.send({ op: 'offer', id });
    const r = await this.next((r) => r.ev === 'offer' && r.id === id);
    return r.ev === 'offer' ? r.sdp : '';
  }
  async report(id: string): Promise<BotMatchReport> {
    const r = await this.next((r) => r.ev === 'report' && r.id === id);
    return (r.ev === 'report' ? r.report : undefined) as BotMatchReport;
  }
  control(id: string, type: string, nth = 1): Promise<Report> {
    let seen = 0;
    return this.next((r) => r.ev === 'control' && r.id === id && r.type === type && ++seen === nth);
  }
  snapshotTicks(id: string): number[] {
    return this.reports.flatMap((r) => (r.ev === 'snapshot' && r.id === id ? [r.tick] : []));
  }
  exit(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ op: 'exit' });
    return exited;
  }
}

interface Mode {
  readonly mode: 'play' | 'silent';
  readonly seconds: number;
}
const play = (seconds: number): Mode => ({ mode: 'play', seconds });

describe('match rooms in a worker, with real WebRTC clients', () => {
  let host: RoomHost;
  let clients: Clients;
  const ended: MatchEndedEvent[] = [];
  const left: { matchId: string; userId: string }[] = [];

  function hostEvent<K extends keyof RoomHostEvents>(
    name: K,
    match: (...args: RoomHostEvents[K]) => boolean,
  ): Promise<RoomHostEvents[K][0]> {
    return new Promise((resolve) => {
      const listener = (...args: RoomHostEvents[K]) => {
        if (!match(...args)) return;
        host.off(name, listener as never);
        resolve(args[0]);
      };
      host.on(name, listener as never);
    });
  }
  const endOf = (matchId: string): Promise<MatchEndedEvent> => {
    const seen = ended.find((e) => e.matchId === matchId);
    return seen ? Promise.resolve(seen) : hostEvent('matchEnded', (e) => e.matchId === matchId);
  };

  /** Offers → createMatch → answers to the clients. Accepts only the first `accept` clients. */
  async function createMatch(matchId: string, modes: [Mode, Mode], accept = 2) {
    const ids = [`${matchId}-a`, `${matchId}-b`] as const;
    const offers = await Promise.all(ids.map((id) => clients.offer(id)));
    const started = hostEvent('matchStarted', (e) => e.matchId === matchId);
    const foundAt = performance.now();
    const { answers } = await host.createMatch({
      matchId,
      players: [
        { userId: `u-${ids[0]}`, username: ids[0], offerSdp: offers[0] ?? '' },
        { userId: `u-${ids[1]}`, username: ids[1], offerSdp: offers[1] ?? '' },
      ],
    });
    modes.slice(0, accept).forEach(({ mode, seconds }, i) => {
      clients.send({ op: 'accept', id: ids[i] ?? '', answer: answers[i] ?? '', mode, seconds });
    });
    return { ids, started: started.then(() => performance.now() - foundAt) };
  }

  beforeAll(async () => {
    host = await RoomHost.start({
      udpPort: await freeUdpPort(),
      bindAddress: '127.0.0.1',
      heartbeatTimeoutMs: HEARTBEAT_MS,
      snapshotRate: 30,
      connectTimeoutMs: 3_000,
      logger,
    });
    host.on('matchEnded', (e) => ended.push(e));
    host.on('playerLeft', (e) => left.push(e));
    clients = new Clients();
  });

  afterAll(async () => {
    await clients.exit();
    await host.close();
  });

  it('plays a match: start, snapshots, pings, malformed frames, then a leave', async () => {
    const { ids, started } = await createMatch('m1', [play(3), play(30)]);
    const [a, b] = ids;
    const connectMs = await started;
    const [startA, startB] = await Promise.all([
      clients.control(a, 'match_start'),
      clients.control(b, 'match_start'),
    ]);
    expect(startA).toMatchObject({
      detail: { you: 0, opponent: b, tickRate: 60, snapshotRate: 30 },
    });
    expect(startB).toMatchObject({ detail: { you: 1, opponent: a } });

    // Malformed frames: dropped and counted, the match goes on.
    clients.send({ op: 'send', id: b, channel: 'control', bytes: [2, 1] }); // truncated ping
    clients.send({ op: 'send', id: b, channel: 'control', bytes: [6, 0, 0] }); // reason 0
    clients.send({ op: 'send', id: b, channel: 'state', bytes: [64, 0xff] }); // truncated input

    // Two server pings seen by each client: the first has been answered and measured.
    await Promise.all([clients.control(a, 'ping', 2), clients.control(b, 'ping', 2)]);
    const stats = await host.stats();
    expect(stats).toMatchObject({ workers: 1, matches: 1, players: 2 });
    const rtts = stats.rtt.filter((r) => r.matchId === 'm1');
    expect(rtts).toHaveLength(2);
    for (const r of rtts) expect(r.rttMs).toBeGreaterThan(0);
    expect(stats.malformedDropped).toBeGreaterThanOrEqual(2);
    expect(stats.tickMs.max).toBeGreaterThan(0);

    // Snapshot rate from tick numbers: 60 Hz ticks / 30 Hz snapshots = every 2nd tick.
    const ticks = clients.snapshotTicks(a);
    expect(ticks.length).toBeGreaterThan(20);
    const sorted = [...ticks].sort((x, y) => x - y);
    const gaps = sorted.slice(1).map((t, i) => t - (sorted[i] ?? 0));
    expect(gaps.filter((g) => g === 2).length).toBeGreaterThan(gaps.length * 0.9);

    const [reportA, reportB, end] = await Promise.all([
      clients.report(a),
      clients.report(b),
      endOf('m1'),
    ]);
    expect(reportA).toMatchObject({ result: 'played', matchId: 'm1', opponent: b });
    expect(reportB.result).toBe('opponent_left');
    expect(reportA.rttMs.p50).toBeGreaterThan(0);
    expect(end).toMatchObject({
      reason: 'opponent_left',
      winnerSlot: 1,
      players: [
        { userId: `u-${a}`, username: a, slot: 0 },
        { userId: `u-${b}`, username: b, slot: 1 },
      ],
    });
    expect(end.durationSec).toBeGreaterThan(0);
    expect(left).toContainEqual({ matchId: 'm1', userId: `u-${a}` });
    console.log(
      `m1: match found → channels open ${connectMs.toFixed(1)} ms; bot RTT p50 ${reportA.rttMs.p50.toFixed(2)} ms p99 ${reportA.rttMs.p99.toFixed(2)} ms; server RTT p50 ${stats.rttMs.p50.toFixed(2)} ms; ${reportA.snapshotHz.toFixed(1)} snapshots/s, ${reportA.bytesPerSecond.toFixed(0)} B/s; tick p50 ${stats.tickMs.p50.toFixed(3)} ms p99 ${stats.tickMs.p99.toFixed(3)} ms; duration ${end.durationSec.toFixed(2)} s`,
    );
  });

  it('drops a silent client after the heartbeat timeout and tells the other', async () => {
    const { ids, started } = await createMatch('m2', [play(30), { mode: 'silent', seconds: 0 }]);
    await started;
    const end = await endOf('m2');
    expect(end).toMatchObject({ reason: 'timeout', winnerSlot: 0 });
    expect((await clients.report(ids[0])).result).toBe('opponent_left');
    expect(left).toContainEqual({ matchId: 'm2', userId: `u-${ids[1]}` });
  });

  it('closes the session of a client that sends an unknown code', async () => {
    const { ids, started } = await createMatch('m3', [play(30), play(30)]);
    await started;
    await clients.control(ids[1], 'match_start');
    const end = endOf('m3');
    clients.send({ op: 'send', id: ids[1], channel: 'control', bytes: [60] });
    expect(await clients.control(ids[1], 'error')).toMatchObject({
      detail: { code: 'unknown_code' },
    });
    expect((await clients.report(ids[0])).result).toBe('opponent_left');
    expect(await end).toMatchObject({ reason: 'opponent_left', winnerSlot: 0 });
    expect((await host.stats()).unknownCodes).toBeGreaterThanOrEqual(1);
  });

  it('cancels a match whose players never both connect', async () => {
    const { ids } = await createMatch('m4', [play(30), play(30)], 1);
    const end = await endOf('m4');
    expect(end).toMatchObject({ reason: 'connect_timeout', durationSec: 0, winnerSlot: -1 });
    expect((await clients.report(ids[0])).result).toBe('ended');
  });

  it('refuses bad requests with a code the app can map', async () => {
    const player = (offerSdp: string, username = 'p') => ({ userId: 'u', username, offerSdp });
    await expect(
      host.createMatch({ matchId: 'x'.repeat(65), players: [player('a'), player('b')] }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      host.createMatch({ matchId: 'bad-sdp', players: [player('garbage'), player('garbage')] }),
    ).rejects.toMatchObject({ code: 'bad_offer', badSlots: [0, 1] });
    expect(ended.some((e) => e.matchId === 'bad-sdp')).toBe(false);
  });

  it('stopAll tells every player server_stopping and ends each match once', async () => {
    const first = await createMatch('m5', [play(30), play(30)]);
    const second = await createMatch('m6', [play(30), play(30)]);
    await Promise.all([first.started, second.started]);
    await host.stopAll();
    for (const id of [...first.ids, ...second.ids]) {
      expect((await clients.report(id)).result).toBe('server_stopping');
    }
    for (const matchId of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']) {
      expect(ended.filter((e) => e.matchId === matchId)).toHaveLength(1);
    }
    expect(
      ended
        .filter((e) => e.reason === 'server_stopping')
        .map((e) => e.matchId)
        .sort(),
    ).toEqual(['m5', 'm6']);
    const stats = await host.stats();
    expect(stats).toMatchObject({ matches: 0, peers: 0 });
  });
});
