import { describe, expect, it } from 'vitest';
import {
  decodeControl,
  decodeState,
  encodeMatchEnd,
  encodeMatchStart,
  encodeOpponentLeft,
  encodePing,
  encodePong,
  encodeServerStopping,
  encodeSnapshot,
  viewOf,
  type ControlMessage,
  type Inputs,
} from '../../../shared/src/protocol/index.js';
import { initialState } from '../../../shared/src/sim/rules.js';
import { ManualTimers } from '../match/manual-timers.js';
import { createScheduler } from '../match/scheduler.js';
import { FakePeer } from '../transport/fake-peer.js';
import { playMatch, type PlayOptions } from './player.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const start = encodeMatchStart({
  matchId: 'm-7',
  you: 1,
  opponent: 'alice',
  tickRate: 60,
  snapshotRate: 30,
  serverTick: 100,
});

function setup(options: Partial<PlayOptions> = {}) {
  const timers = new ManualTimers();
  const peer = new FakePeer();
  peer.open();
  const report = playMatch(peer, {
    seconds: 1,
    logger: silent,
    scheduler: createScheduler(timers),
    random: () => 0.5,
    ...options,
  });
  const sentControl = (): ControlMessage[] =>
    peer.sent.control.flatMap((b) => {
      const r = decodeControl(b);
      return r.ok ? [r.msg] : [];
    });
  const sentInputs = (): Inputs[] =>
    peer.sent.state.flatMap((b) => {
      const r = decodeState(b);
      return r.ok && r.msg.type === 'input' ? [r.msg] : [];
    });
  return { timers, peer, report, sentControl, sentInputs };
}

// A full snapshot of a real opening scene, labelled with `tick`.
const snapshot = (tick: number, ackInputSeq = 0) =>
  encodeSnapshot({ ...viewOf(initialState(3)), tick }, undefined, {
    ackInputSeq,
  });

describe('playMatch', () => {
  it('plays for the given seconds, then leaves and reports what it received', async () => {
    const { timers, peer, report, sentControl } = setup();
    peer.receive('control', start);
    for (let i = 0; i < 30; i++) {
      peer.receive('state', snapshot(100 + 2 * i));
      timers.advance(1000 / 30);
    }
    timers.advance(1);
    expect(sentControl().at(-1)).toEqual({ type: 'leave' });
    // The server closes the connection once it has the leave; the report follows.
    peer.closeFromRemote();
    const r = await report;
    expect(r).toMatchObject({ matchId: 'm-7', opponent: 'alice', result: 'played', snapshots: 30 });
    expect(r.snapshotHz).toBeCloseTo(30, 5);
    expect(r.bytesPerSecond).toBeCloseTo(30 * snapshot(100).length, 5);
    expect(r.snapshotsDropped).toBe(0);
  });

  it('after leave, closes the connection itself when the server does not within a second', async () => {
    const { timers, peer, report, sentControl } = setup();
    peer.receive('control', start);
    timers.advance(1_001);
    expect(sentControl().at(-1)).toEqual({ type: 'leave' });
    expect(peer.closedReason).toBeUndefined();
    timers.advance(1_000);
    expect(await report).toMatchObject({ result: 'played' });
    expect(peer.closedReason).toBe('closed_locally');
  });

  it('sends an input frame at once on a change and never two ticks without one, repeating the last 8', async () => {
    const { timers, peer, report, sentInputs } = setup();
    peer.receive('control', start);
    timers.advance(2_000);
    await report;
    const frames = sentInputs();
    // One second of match at 60 ticks: a frame at least every other tick, more when buttons changed.
    expect(frames.length).toBeGreaterThanOrEqual(29);
    expect(frames.length).toBeLessThanOrEqual(40); // the pilot changes its buttons now and then
    const newest = frames.map((f) => f.firstSeq + f.buttons.length - 1);
    expect(newest.every((seq, i) => i === 0 || seq > (newest[i - 1] ?? 0))).toBe(true);
    newest.forEach((seq, i) => {
      const f = frames[i];
      if (!f) return;
      // Every input goes out: each frame reaches back to the one after the last frame's newest.
      expect(f.firstSeq).toBeLessThanOrEqual((newest[i - 1] ?? 0) + 1);
      expect(f.buttons.length).toBe(Math.min(8, seq));
      if (i === 0) return;
      // Never two ticks without a frame; a frame one tick after the last one is a change.
      const gap = seq - (newest[i - 1] ?? 0);
      expect(gap).toBeLessThanOrEqual(2);
      if (gap === 1) expect(f.buttons.at(-1)).not.toBe(f.buttons.at(-2));
    });
  });

  it('acknowledges the newest snapshot it decoded, for the server’s deltas', () => {
    const { timers, peer, sentInputs } = setup();
    peer.receive('control', start);
    peer.receive('state', snapshot(120));
    timers.advance(1000 / 60);
    expect(sentInputs().at(-1)?.ackSnapshotTick).toBe(120);
  });

  it('pings every 500 ms, as the browser does, and measures RTT from the echoed clock', async () => {
    const { timers, peer, report, sentControl } = setup();
    peer.receive('control', start);
    timers.advance(499);
    expect(sentControl().some((m) => m.type === 'ping')).toBe(false);
    timers.advance(1);
    const ping = sentControl().find((m) => m.type === 'ping');
    if (ping?.type !== 'ping') throw new Error('no ping sent');
    timers.advance(3);
    peer.receive('control', encodePong({ id: ping.id, t: ping.t }));
    timers.advance(2_000);
    expect((await report).rttMs).toEqual({ p50: 3, p99: 3 });
  });

  it('answers server pings', () => {
    const { peer, sentControl } = setup();
    peer.receive('control', start);
    peer.receive('control', encodePing({ id: 4, t: 99.5 }));
    expect(sentControl().at(-1)).toEqual({ type: 'pong', id: 4, t: 99.5 });
  });

  it.each([
    ['opponent_left', encodeOpponentLeft()],
    ['server_stopping', encodeServerStopping()],
    ['ended', encodeMatchEnd({ reason: 'admin_ended', winnerSlot: -1 })],
  ] as const)('stops with result %s when the server says so', async (result, frame) => {
    const { timers, peer, report } = setup();
    peer.receive('control', start);
    timers.advance(100);
    peer.receive('control', frame);
    expect((await report).result).toBe(result);
  });

  it('fails when match_start never comes', async () => {
    const { timers, report } = setup({ startTimeoutMs: 2_000 });
    timers.advance(2_000);
    expect(await report).toMatchObject({ result: 'failed', error: 'no match_start', snapshots: 0 });
  });

  it('fails when the connection drops mid-match', async () => {
    const { timers, peer, report } = setup();
    peer.receive('control', start);
    timers.advance(100);
    peer.closeFromRemote('connection_failed');
    expect(await report).toMatchObject({ result: 'failed', matchId: 'm-7' });
  });
});
