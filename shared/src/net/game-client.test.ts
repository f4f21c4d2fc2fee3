import { describe, expect, it } from 'vitest';
import {
  Button,
  decodeControl,
  decodeState,
  encodeMatchStart,
  encodeOpponentAway,
  encodeOpponentBack,
  encodeOpponentLeft,
  encodeSnapshot,
  viewOf,
  type SnapshotView,
} from '../protocol/index.js';
import { initialState } from '../sim/rules.js';
import { stepShip } from '../sim/ship.js';
import type { MatchEndInfo } from './game-view.js';
import { GameClient, INTERPOLATION_TICKS, SERVER_SILENCE_MS } from './game-client.js';

function setup(onSilence?: () => void) {
  let now = 1000;
  const sent: Uint8Array[] = [];
  const control: Uint8Array[] = [];
  const ended: MatchEndInfo[] = [];
  const client = new GameClient({
    sendControl: (b) => void control.push(b),
    sendState: (b) => void sent.push(b),
    now: () => now,
    onEnd: (e) => void ended.push(e),
    onSilence,
  });
  client.receiveControl(
    encodeMatchStart({
      matchId: 'm',
      you: 0,
      opponent: 'bob',
      tickRate: 60,
      snapshotRate: 30,
      serverTick: 0,
    }),
  );
  const base = viewOf(initialState(9));
  const at = (tick: number, ships = base.ships): SnapshotView => ({
    ...base,
    tick,
    ships,
  });
  const send = (view: SnapshotView, ackInputSeq: number, baseline?: SnapshotView) =>
    client.receiveState(encodeSnapshot(view, baseline, { ackInputSeq }));
  const pings = () =>
    control.filter((b) => {
      const r = decodeControl(b);
      return r.ok && r.msg.type === 'ping';
    }).length;
  return { client, sent, ended, base, at, send, pings, advance: (ms: number) => (now += ms) };
}

describe('GameClient', () => {
  it('pings on every other beat while it sends inputs, and on every beat while paused', () => {
    const { client, pings } = setup();
    for (let beat = 0; beat < 4; beat++) client.ping();
    expect(pings()).toBe(2); // playing: its inputs keep the server's heartbeat
    client.receiveControl(encodeOpponentAway({ graceMs: 10_000 }));
    for (let beat = 0; beat < 4; beat++) client.ping();
    expect(pings()).toBe(6); // paused: pings are all the server hears of it
  });

  it('predicts its own ship from each input at once', () => {
    const { client, base, at, send } = setup();
    send(at(10), 0);
    client.input(Button.right);
    client.input(Button.right);
    const expected = stepShip(stepShip(base.ships[0], Button.right), Button.right);
    expect(client.frame()?.ships[0]).toEqual(expected);
  });

  it('reconciles to the server and measures how far the prediction was off', () => {
    const { client, base, at, send } = setup();
    send(at(10), 0);
    for (let i = 0; i < 3; i++) client.input(Button.thrust);
    // The server applied the three inputs exactly as predicted: no error.
    let ship = base.ships[0];
    for (let i = 0; i < 3; i++) ship = stepShip(ship, Button.thrust);
    send(at(14, [ship, base.ships[1]]), 3);
    expect(client.stats().predictionErrors.at(-1)).toBe(0);
    // Now the server says the ship never moved (say, it hit something): the prediction snaps back.
    client.input(0);
    send(at(16), 4);
    expect(client.stats().predictionErrors.at(-1)).toBeGreaterThan(0);
    expect(client.frame()?.ships[0]).toEqual(base.ships[0]);
  });

  it('decodes deltas against the views it has, and acks the newest', () => {
    const { client, sent, at, send } = setup();
    const first = at(10);
    send(first, 0);
    send(at(12), 0, first);
    expect(client.stats()).toMatchObject({ snapshots: 2, snapshotsDropped: 0 });
    client.input(0);
    const frame = decodeState(sent.at(-1) ?? new Uint8Array());
    expect(frame.ok && frame.msg.type === 'input' && frame.msg.ackSnapshotTick).toBe(12);
  });

  it('sends a change at once and an unchanged input with the next frame, never two ticks without one', () => {
    const { client, sent, at, send } = setup();
    send(at(10), 0);
    const newest = () => {
      const f = decodeState(sent.at(-1) ?? new Uint8Array());
      return f.ok && f.msg.type === 'input' ? f.msg.firstSeq + f.msg.buttons.length - 1 : 0;
    };
    // seq:      1  2  3  4  5  6  7  8
    const held = [0, 0, 0, 4, 4, 4, 4, 2];
    const framesAfter = held.map((buttons) => {
      client.input(buttons);
      return sent.length;
    });
    // 1 (first), 3 (two ticks on), 4 (a change), 6 (two ticks after 4: seq 5 waited for it),
    // 8 (a change, one tick after seq 7, which went with nothing: two ticks after 6 is 8).
    expect(framesAfter).toEqual([1, 1, 2, 3, 3, 4, 4, 5]);
    expect(newest()).toBe(8);
    const last = decodeState(sent.at(-1) ?? new Uint8Array());
    // Seq 7 (unchanged, never sent alone) is in seq 8's frame.
    expect(last.ok && last.msg.type === 'input' && last.msg.buttons.slice(-2)).toEqual([4, 2]);
  });

  it('drops a delta whose baseline it never saw, and counts it', () => {
    const { client, at, send } = setup();
    send(at(12), 0, at(10));
    expect(client.stats()).toMatchObject({ snapshots: 0, snapshotsDropped: 1 });
  });

  it('tells its owner once how the match ended', () => {
    const { client, ended } = setup();
    client.receiveControl(encodeOpponentLeft());
    client.receiveControl(encodeOpponentLeft());
    expect(ended).toEqual([{ kind: 'opponent_left' }]);
  });

  it('ends the match as server_lost once the server has been silent past silenceMs', () => {
    const { client, ended, at, send, advance } = setup();
    advance(SERVER_SILENCE_MS);
    send(at(2), 0); // a snapshot restarts the silence
    advance(SERVER_SILENCE_MS);
    client.ping();
    expect(ended).toEqual([]);
    advance(1);
    client.ping();
    client.ping();
    expect(ended).toEqual([{ kind: 'server_lost' }]);
  });

  it('with onSilence, a silent server is a drop to rejoin from, not the end of the match', () => {
    let silences = 0;
    const { client, ended, sent, at, send, advance } = setup(() => silences++);
    advance(SERVER_SILENCE_MS + 1);
    client.ping();
    client.ping();
    expect(silences).toBe(1);
    expect(ended).toEqual([]);
    // Dropped: no inputs go out until the new link is up.
    client.input(0);
    expect(sent).toEqual([]);
    client.rejoined();
    send(at(40), 0);
    client.input(0);
    expect(sent).toHaveLength(1);
    // A rejoin that fails gives up: the match ends as server_lost, once.
    client.lost();
    client.lost();
    expect(ended).toEqual([{ kind: 'server_lost' }]);
  });

  it('while the opponent is away, no input goes out and the ship is not predicted ahead', () => {
    const { client, sent, at, send, advance } = setup();
    send(at(10), 0);
    client.input(Button.thrust);
    expect(sent).toHaveLength(1);
    client.receiveControl(encodeOpponentAway({ graceMs: 10_000 }));
    for (let i = 0; i < 30; i++) client.input(Button.thrust);
    expect(sent).toHaveLength(1);
    // Back after 5 s with the match where it was: the picture follows the server at once.
    advance(5_000);
    client.receiveControl(encodeOpponentBack());
    send(at(12), 1);
    expect(client.frame()?.renderTick).toBeCloseTo(12 - INTERPOLATION_TICKS, 0);
    client.input(0);
    expect(sent).toHaveLength(2);
  });

  it('rejoined: the match_start again resumes play and resets the clock, unless the opponent is away too', () => {
    const { client, sent, at, send, advance } = setup();
    send(at(10), 0);
    client.receiveControl(encodeOpponentAway({ graceMs: 10_000 }));
    client.dropped();
    advance(4_000);
    client.rejoined();
    const again = encodeMatchStart({
      matchId: 'm',
      you: 0,
      opponent: 'bob',
      tickRate: 60,
      snapshotRate: 30,
      serverTick: 11,
    });
    client.receiveControl(again);
    send(at(12), 0);
    expect(client.frame()?.renderTick).toBeCloseTo(12 - INTERPOLATION_TICKS, 0);
    client.input(0);
    expect(sent).toHaveLength(1);
    // The server says next that the opponent is still away: paused again.
    client.receiveControl(encodeOpponentAway({ graceMs: 3_000 }));
    client.input(0);
    expect(sent).toHaveLength(1);
  });

  it('does not call a server silent before the match started', () => {
    let now = 0;
    const ended: MatchEndInfo[] = [];
    const client = new GameClient({
      sendControl: () => undefined,
      sendState: () => undefined,
      now: () => now,
      onEnd: (e) => void ended.push(e),
    });
    now += SERVER_SILENCE_MS * 10;
    client.ping();
    expect(ended).toEqual([]);
  });

  it('draws its own shots in the present and the opponent’s in the interpolated past', () => {
    const { client, at, send } = setup();
    const shot = (id: number, owner: 0 | 1) => ({
      id,
      owner,
      x: 1000,
      y: 1000,
      vx: 16,
      vy: 0,
      ttl: 50,
    });
    send({ ...at(10), projectiles: [shot(1, 0), shot(2, 1)] }, 0);
    const drawn = client.frame()?.projectiles ?? [];
    expect(drawn.find((p) => p.id === 1)?.x).toBe(1000 + 16 * INTERPOLATION_TICKS);
    expect(drawn.find((p) => p.id === 2)?.x).toBe(1000);
  });
});
