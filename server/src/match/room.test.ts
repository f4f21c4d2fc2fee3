import { describe, expect, it } from 'vitest';
import {
  Button,
  decodeControl,
  decodeSnapshot,
  encodeInputs,
  encodeLeave,
  encodeMatchStart,
  encodePing,
  encodePong,
  ViewHistory,
  type ControlMessage,
  type Snapshot,
} from '../../../shared/src/protocol/index.js';
import { FakePeer } from '../transport/fake-peer.js';
import type { ChannelName } from '../transport/peer.js';
import { asteroidsGame } from './game.js';
import { MAX_PROVISIONAL } from './input-queue.js';
import { ManualTimers } from './manual-timers.js';
import { RoomMetrics } from './metrics.js';
import { Room } from './room.js';
import type { MatchEndedEvent, RoomSettings } from './worker-protocol.js';
import { createScheduler } from './scheduler.js';

/** FakePeer plus decoding of what the room sent. */
class TestPeer extends FakePeer {
  /** The channel of each frame sent, in the order sent. */
  readonly order: ChannelName[] = [];
  override sendControl(data: Uint8Array): boolean {
    return super.sendControl(data) && this.order.push('control') > 0;
  }
  override sendState(data: Uint8Array): boolean {
    return super.sendState(data) && this.order.push('state') > 0;
  }
  controlMessages(): ControlMessage[] {
    return this.sent.control.map((b) => {
      const r = decodeControl(b);
      if (!r.ok) throw new Error('server sent a bad frame');
      return r.msg;
    });
  }
  /** Decoded in order, each delta against the views decoded before it, as a client does. */
  snapshots(): Snapshot[] {
    const history = new ViewHistory();
    return this.sent.state.flatMap((b) => {
      const r = decodeSnapshot(b, history.baselineFor);
      if (!r.ok) throw new Error(`undecodable snapshot: ${r.error}`);
      history.put(r.msg.view);
      return [r.msg];
    });
  }
  get closed(): boolean {
    return this.closedReason !== undefined;
  }
}

const settings: RoomSettings = {
  snapshotRate: 30,
  matchTicks: 10_800,
  heartbeatTimeoutMs: 300,
  connectTimeoutMs: 15_000,
  pingIntervalMs: 500,
  inputQueueSize: 4,
  closeGraceMs: 100,
};

function setup(overrides: Partial<RoomSettings> = {}) {
  const timers = new ManualTimers();
  const metrics = new RoomMetrics();
  const peers = [new TestPeer('a'), new TestPeer('b')] as const;
  const events = { started: 0, ended: [] as MatchEndedEvent[], left: [] as number[], closed: 0 };
  const room = new Room({
    matchId: 'm1',
    players: [
      { userId: 'u-alice', username: 'alice', slot: 0 },
      { userId: 'u-bob', username: 'bob', slot: 1 },
    ],
    peers,
    game: asteroidsGame,
    seed: 42,
    settings: { ...settings, ...overrides },
    scheduler: createScheduler(timers),
    metrics,
    listener: {
      started: () => events.started++,
      ended: (r) => events.ended.push(r),
      playerLeft: (slot) => events.left.push(slot),
      closed: () => events.closed++,
    },
  });
  const start = () => {
    peers[0].open();
    peers[1].open();
  };
  /** Advances time in small steps; `chatty` players ping each step to stay alive. */
  const run = (ms: number, chatty: TestPeer[] = [...peers]) => {
    for (let t = 0; t < ms; t += 10) {
      for (const p of chatty) p.receive('control', encodePing({ id: 1, t: 0 }));
      timers.advance(Math.min(10, ms - t));
    }
  };
  return { timers, metrics, peers, events, room, start, run };
}

const types = (p: TestPeer) => p.controlMessages().map((m) => m.type);

describe('Room', () => {
  it('starts only when both players are open, telling each its slot and opponent', () => {
    const { peers, events, start } = setup();
    peers[0].open();
    expect(events.started).toBe(0);
    start();
    expect(events.started).toBe(1);
    expect(peers[0].controlMessages()[0]).toMatchObject({
      type: 'match_start',
      you: 0,
      opponent: 'bob',
      matchId: 'm1',
    });
    expect(peers[1].controlMessages()[0]).toMatchObject({
      type: 'match_start',
      you: 1,
      opponent: 'alice',
      tickRate: 60,
      snapshotRate: 30,
    });
  });

  it('sends snapshots at the snapshot rate, on every other tick at 60/30', () => {
    const { peers, start, run } = setup();
    start();
    run(1_000);
    const ticks = peers[0].snapshots().map((s) => s.view.tick);
    expect(ticks).toHaveLength(30);
    expect(ticks.every((t) => t % 2 === 0)).toBe(true);
    expect(peers[1].snapshots()).toHaveLength(30);
  });

  it('applies inputs in order, one per tick, to the sender’s slot only', () => {
    const { peers, start, run } = setup();
    start();
    const buttons = [Button.left, Button.thrust, 0]; // the last input releases the buttons
    peers[1].receive('state', encodeInputs({ ackSnapshotTick: 0, firstSeq: 1, buttons }));
    run(200);
    const last = peers[0].snapshots().at(-1);
    // The same pure step, fed the same inputs one per tick, gives the same ships.
    let expected = asteroidsGame.init(42, 10_800);
    for (let tick = 0; tick < (last?.view.tick ?? 0); tick++) {
      expected = asteroidsGame.step(expected, [0, buttons[tick] ?? 0]);
    }
    expect(last?.view.ships).toEqual(expected.ships);
    expect(last?.view.ships[1].heading).not.toBe(asteroidsGame.init(42, 10_800).ships[1].heading);
    expect(last?.view.ships[0].heading).toBe(asteroidsGame.init(42, 10_800).ships[0].heading);
    // Past its last input the server played the held buttons as seqs 4 and 5 (a client sends
    // every other tick), and no further: the player went quiet.
    expect(peers[1].snapshots().at(-1)?.ackInputSeq).toBe(3 + MAX_PROVISIONAL);
  });

  it('drops inputs beyond the queue and stale ones, and counts them', () => {
    const { peers, metrics, start } = setup();
    start();
    const six = [0, 0, 0, 0, 0, 0];
    peers[0].receive('state', encodeInputs({ ackSnapshotTick: 0, firstSeq: 1, buttons: six }));
    peers[0].receive('state', encodeInputs({ ackSnapshotTick: 0, firstSeq: 1, buttons: [0] }));
    expect(metrics.inputsDropped).toBe(2);
    expect(metrics.staleInputs).toBe(1);
  });

  it('sends deltas against the snapshot a player acknowledged, and full ones without an ack', () => {
    const { peers, start, run } = setup();
    start();
    run(100);
    const full = peers[0].sent.state.at(-1)?.length ?? 0;
    const acked = peers[0].snapshots().at(-1)?.view.tick ?? 0;
    peers[0].receive('state', encodeInputs({ ackSnapshotTick: acked, firstSeq: 1, buttons: [0] }));
    run(40);
    const frames = peers[0].snapshots();
    expect(frames.at(-1)?.baselineTick).toBe(acked);
    expect(peers[0].sent.state.at(-1)?.length).toBeLessThan(full);
    // The other player acknowledged nothing: still full snapshots.
    expect(peers[1].snapshots().at(-1)?.baselineTick).toBe(0);
  });

  it('ignores an acknowledgement of a tick it never sent', () => {
    const { peers, start, run } = setup();
    start();
    run(100);
    peers[0].receive('state', encodeInputs({ ackSnapshotTick: 7, firstSeq: 1, buttons: [0] }));
    run(40);
    expect(peers[0].snapshots().at(-1)?.baselineTick).toBe(0);
  });

  it('tells each player the match length, and ends the match at its time limit', () => {
    const { peers, events, start, run } = setup({ matchTicks: 30, heartbeatTimeoutMs: 10_000 });
    start();
    expect(peers[0].controlMessages()[0]).toMatchObject({ type: 'match_start', matchTicks: 30 });
    run(1_000);
    expect(events.ended).toHaveLength(1);
    expect(events.ended[0]?.reason).toBe('ended');
    expect(events.ended[0]?.durationSec).toBeCloseTo(0.5, 1);
    expect(types(peers[1]).at(-1)).toBe('match_end');
  });

  it('sends the deciding snapshot before the end of the match, so the results show it', () => {
    const { peers, start, run } = setup({ matchTicks: 30, heartbeatTimeoutMs: 10_000 });
    start();
    run(1_000);
    for (const peer of peers) {
      // Tick 30 is a snapshot tick (30 Hz of 60): the last tick of the match.
      expect(peer.snapshots().at(-1)?.view.tick).toBe(30);
      expect(types(peer).at(-1)).toBe('match_end');
      expect(peer.order.lastIndexOf('state')).toBeLessThan(peer.order.lastIndexOf('control'));
    }
  });

  it('ends the match with each player’s stats', () => {
    const { peers, events, start, run } = setup();
    start();
    peers[0].receive(
      'state',
      encodeInputs({ ackSnapshotTick: 0, firstSeq: 1, buttons: [Button.fire] }),
    );
    run(100);
    peers[1].receive('control', encodeLeave());
    expect(events.ended[0]?.stats[0].shotsFired).toBe(1);
    expect(events.ended[0]?.stats[1].shotsFired).toBe(0);
  });

  it('pings every player and measures RTT from its own clock', () => {
    const { peers, timers, start, room, metrics } = setup({ heartbeatTimeoutMs: 10_000 });
    start();
    timers.advance(500);
    const ping = peers[0].controlMessages().find((m) => m.type === 'ping');
    expect(ping).toBeDefined();
    timers.advance(7);
    if (ping?.type !== 'ping') return;
    peers[0].receive('control', encodePong({ id: ping.id, t: 0 })); // a lying t is ignored
    expect(room.rtts()[0]).toEqual({ userId: 'u-alice', rttMs: 7 });
    expect(metrics.rttMs.values()).toEqual([7]);
  });

  it('answers a client ping with a pong carrying the same id and t', () => {
    const { peers, start } = setup();
    start();
    peers[1].receive('control', encodePing({ id: 9, t: 123.5 }));
    expect(peers[1].controlMessages().at(-1)).toEqual({ type: 'pong', id: 9, t: 123.5 });
  });

  it('leave: the other player is told at once, the match ends once as a forfeit', () => {
    const { peers, events, start, run } = setup();
    start();
    run(500);
    peers[0].receive('control', encodeLeave());
    expect(types(peers[1]).at(-1)).toBe('opponent_left');
    expect(events.left).toEqual([0]);
    expect(events.ended).toHaveLength(1);
    expect(events.ended[0]).toMatchObject({ reason: 'opponent_left', winnerSlot: 1 });
    expect(events.ended[0]?.durationSec).toBeCloseTo(0.5, 5);
    peers[0].closeFromRemote();
    peers[1].receive('control', encodeLeave());
    expect(events.ended).toHaveLength(1);
  });

  it('a closed channel counts as leaving', () => {
    const { peers, events, start } = setup();
    start();
    peers[1].closeFromRemote();
    expect(types(peers[0]).at(-1)).toBe('opponent_left');
    expect(events.ended).toMatchObject([{ reason: 'opponent_left', winnerSlot: 0 }]);
  });

  it('drops a silent player after the heartbeat timeout', () => {
    const { peers, events, start, run } = setup();
    start();
    run(1_000, [peers[0]]); // bob says nothing
    expect(events.ended).toMatchObject([{ reason: 'timeout', winnerSlot: 0 }]);
    expect(events.left).toEqual([1]);
    expect(types(peers[0]).at(-1)).toBe('opponent_left');
    expect(types(peers[1]).at(-1)).toBe('match_end');
    expect(events.ended[0]?.durationSec).toBeGreaterThan(0.3);
    expect(events.ended[0]?.durationSec).toBeLessThan(0.35);
  });

  it('keeps a match going while both players talk', () => {
    const { events, start, run } = setup();
    start();
    run(3_000);
    expect(events.ended).toHaveLength(0);
  });

  it('an unknown code closes the sender with an error; the other is told', () => {
    const { peers, events, metrics, start } = setup();
    start();
    peers[0].receive('control', new Uint8Array([60]));
    expect(peers[0].controlMessages().at(-1)).toEqual({ type: 'error', code: 'unknown_code' });
    expect(types(peers[1]).at(-1)).toBe('opponent_left');
    expect(events.ended).toMatchObject([{ reason: 'opponent_left', winnerSlot: 1 }]);
    expect(metrics.unknownCodes).toBe(1);
  });

  it('a server-only message from a client is refused as unexpected', () => {
    const { peers, metrics, start } = setup();
    start();
    const frame = encodeMatchStart({
      matchId: 'x',
      you: 0,
      opponent: 'y',
      tickRate: 1,
      snapshotRate: 1,
      serverTick: 0,
    });
    peers[1].receive('control', frame);
    expect(peers[1].controlMessages().at(-1)).toEqual({
      type: 'error',
      code: 'unexpected_message',
    });
    expect(metrics.unexpectedMessages).toBe(1);
  });

  it('malformed frames are dropped and counted, and the match goes on', () => {
    const { peers, events, metrics, start } = setup();
    start();
    peers[0].receive('control', new Uint8Array([2, 1])); // truncated ping
    peers[0].receive('state', new Uint8Array([64, 0xff])); // truncated input
    peers[0].receive('state', new Uint8Array());
    expect(metrics.malformedDropped).toBe(3);
    expect(events.ended).toHaveLength(0);
  });

  it('cancels a match whose players never both open', () => {
    const { peers, events, timers } = setup({ connectTimeoutMs: 15_000 });
    peers[0].open();
    timers.advance(15_000);
    expect(events.started).toBe(0);
    expect(events.ended).toMatchObject([
      { reason: 'connect_timeout', durationSec: 0, winnerSlot: -1 },
    ]);
    expect(types(peers[0]).at(-1)).toBe('match_end');
  });

  it('server stop: everyone is told, peers close after the grace period, then closed fires', () => {
    const { peers, events, timers, room, start } = setup();
    start();
    room.end('server_stopping');
    for (const p of peers) expect(types(p).at(-1)).toBe('server_stopping');
    expect(events.ended).toMatchObject([{ reason: 'server_stopping', winnerSlot: -1 }]);
    expect(events.closed).toBe(0);
    timers.advance(100);
    expect(peers.every((p) => p.closed)).toBe(true);
    expect(events.closed).toBe(1);
    room.end('admin_ended');
    expect(events.ended).toHaveLength(1);
  });

  it('stops ticking once ended', () => {
    const { peers, room, start, run } = setup();
    start();
    room.end('admin_ended');
    const sent = peers[0].snapshots().length;
    run(1_000, []);
    expect(peers[0].snapshots()).toHaveLength(sent);
    expect(peers[0].controlMessages().at(-1)).toEqual({
      type: 'match_end',
      reason: 'admin_ended',
      winnerSlot: -1,
    });
  });
});

describe('Room: a dropped player keeps their seat for the reconnect grace', () => {
  const GRACE = 2_000;
  const held = () => {
    const s = setup({ reconnectGraceMs: GRACE });
    s.start();
    s.run(500);
    s.peers[0].closeFromRemote();
    return s;
  };

  it('pauses the match and tells the opponent how long the seat waits', () => {
    const { peers, events, run } = held();
    expect(peers[1].controlMessages().at(-1)).toEqual({ type: 'opponent_away', graceMs: GRACE });
    const snapshotsBefore = peers[1].snapshots().length;
    run(GRACE - 100, [peers[1]]);
    expect(events.ended).toHaveLength(0);
    expect(peers[1].snapshots()).toHaveLength(snapshotsBefore);
    // The opponent is still pinged while they wait, so their client knows the server lives.
    expect(types(peers[1]).filter((t) => t === 'ping').length).toBeGreaterThan(2);
  });

  it('a rejoin on a new connection resumes where it paused, with a full first snapshot', () => {
    const { peers, events, room, run } = held();
    const pausedAt = peers[1].snapshots().at(-1)?.view.tick ?? 0;
    run(1_000, [peers[1]]);
    const again = new TestPeer('a2');
    expect(room.rejoin('u-alice', again)).toBe(true);
    again.open();
    expect(again.controlMessages()[0]).toMatchObject({
      type: 'match_start',
      you: 0,
      opponent: 'bob',
    });
    const resumedTick = (again.controlMessages()[0] as { serverTick: number }).serverTick;
    expect(resumedTick - pausedAt).toBeLessThanOrEqual(2);
    expect(types(peers[1]).at(-1)).toBe('opponent_back');
    run(1_000, [again, peers[1]]);
    // TestPeer.snapshots decodes from an empty history: a delta first would throw.
    const resumed = again.snapshots();
    expect(resumed.length).toBeGreaterThan(20);
    expect(resumed[0]?.view.tick).toBeGreaterThan(resumedTick);
    // The new client's inputs count from 1 again, and are applied.
    again.receive(
      'state',
      encodeInputs({ ackSnapshotTick: 0, firstSeq: 1, buttons: [Button.thrust] }),
    );
    run(100, [again, peers[1]]);
    expect(again.snapshots().at(-1)?.ackInputSeq).toBe(1 + MAX_PROVISIONAL);
    expect(events.ended).toHaveLength(0);
  });

  it('past the grace the opponent wins by opponent_left, once, and the seat is gone', () => {
    const { peers, events, room, run } = held();
    run(GRACE + 100, [peers[1]]);
    expect(events.ended).toMatchObject([{ reason: 'opponent_left', winnerSlot: 1 }]);
    expect(types(peers[1]).at(-1)).toBe('opponent_left');
    expect(room.rejoin('u-alice', new TestPeer('late'))).toBe(false);
    run(1_000, [peers[1]]);
    expect(events.ended).toHaveLength(1);
    expect(events.closed).toBe(1);
  });

  it('only the seat’s own player can take it', () => {
    const { events, room, run, peers } = held();
    const mallory = new TestPeer('m');
    expect(room.rejoin('u-mallory', mallory)).toBe(false);
    mallory.open();
    expect(mallory.controlMessages()).toEqual([]);
    run(GRACE + 100, [peers[1]]);
    expect(events.ended).toMatchObject([{ reason: 'opponent_left', winnerSlot: 1 }]);
  });

  it('a rejoin before the drop is seen takes the seat over: the old connection goes, the match waits for the new', () => {
    const { peers, events, room, start, run } = setup({ reconnectGraceMs: GRACE });
    start();
    run(500);
    const again = new TestPeer('b2');
    expect(room.rejoin('u-bob', again)).toBe(true);
    expect(peers[1].closed).toBe(true);
    expect(peers[0].controlMessages().at(-1)).toEqual({ type: 'opponent_away', graceMs: GRACE });
    again.open();
    expect(again.controlMessages()[0]).toMatchObject({ type: 'match_start', you: 1 });
    expect(types(peers[0]).at(-1)).toBe('opponent_back');
    run(1_000, [peers[0], again]);
    expect(again.snapshots().length).toBeGreaterThan(20);
    expect(events.ended).toHaveLength(0);
  });

  it('both dropped: the first back is told the other is still away, with the grace left', () => {
    const { peers, events, room, run } = held(); // alice away since t
    run(500, [peers[1]]);
    peers[1].closeFromRemote(); // bob too, 500 ms later
    run(700, []);
    const alice = new TestPeer('a2');
    expect(room.rejoin('u-alice', alice)).toBe(true);
    alice.open();
    expect(alice.controlMessages()[0]).toMatchObject({ type: 'match_start' });
    expect(alice.controlMessages()[1]).toEqual({ type: 'opponent_away', graceMs: GRACE - 700 });
    const bob = new TestPeer('b2');
    expect(room.rejoin('u-bob', bob)).toBe(true);
    bob.open();
    expect(types(alice).at(-1)).toBe('opponent_back');
    run(1_000, [alice, bob]);
    expect(events.ended).toHaveLength(0);
    expect(alice.snapshots().length).toBeGreaterThan(20);
  });

  it('with no grace there is no seat to take back', () => {
    const { peers, events, room, start, run } = setup({ reconnectGraceMs: 0 });
    start();
    run(500);
    expect(room.rejoin('u-bob', new TestPeer('b2'))).toBe(false);
    expect(peers[1].closed).toBe(false);
    expect(events.ended).toHaveLength(0);
  });

  it('a silent player is held too, and loses by timeout if they do not come back', () => {
    const { peers, events, start, run } = setup({ reconnectGraceMs: GRACE });
    start();
    run(settings.heartbeatTimeoutMs + 100, [peers[1]]);
    expect(peers[0].closed).toBe(true);
    expect(peers[1].controlMessages()).toContainEqual({ type: 'opponent_away', graceMs: GRACE });
    expect(events.ended).toHaveLength(0);
    run(GRACE, [peers[1]]);
    expect(events.ended).toMatchObject([{ reason: 'timeout', winnerSlot: 1 }]);
  });

  it('a rejoin whose channels never open leaves the seat waiting, then the grace ends it', () => {
    const { peers, events, room, run } = held();
    const stuck = new TestPeer('stuck');
    expect(room.rejoin('u-alice', stuck)).toBe(true);
    stuck.closeFromRemote('ice_failed');
    expect(events.ended).toHaveLength(0);
    const later = new TestPeer('a3');
    expect(room.rejoin('u-alice', later)).toBe(true);
    later.open();
    expect(types(peers[1]).at(-1)).toBe('opponent_back');
    run(GRACE + 500, [later, peers[1]]);
    expect(events.ended).toHaveLength(0);
  });
});
