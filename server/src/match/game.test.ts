import { describe, expect, it } from 'vitest';
import { decodeSnapshot, ViewHistory, viewOf } from '../../../shared/src/protocol/index.js';
import { asteroidsGame } from './game.js';

describe('asteroidsGame', () => {
  it('sends a full snapshot without an ack, and remembers what it sent', () => {
    const state = asteroidsGame.step(asteroidsGame.init(7, 10_800), [0, 0]);
    const seat = { history: new ViewHistory(), ackTick: 0, ackInputSeq: 0 };
    const r = decodeSnapshot(asteroidsGame.snapshot(state, seat));
    expect(r.ok && r.msg.baselineTick).toBe(0);
    expect(r.ok && r.msg.view).toEqual(viewOf(state));
    expect(seat.history.get(state.tick)).toEqual(viewOf(state));
  });

  it('sends a delta against the acknowledged view that decodes to the same state', () => {
    let state = asteroidsGame.init(7, 10_800);
    const seat = { history: new ViewHistory(), ackTick: 0, ackInputSeq: 5 };
    const client = new ViewHistory();
    state = asteroidsGame.step(state, [0, 0]);
    const first = decodeSnapshot(asteroidsGame.snapshot(state, seat));
    if (!first.ok) throw new Error('first frame');
    client.put(first.msg.view);
    for (let i = 0; i < 4; i++) state = asteroidsGame.step(state, [1, 8]);
    const frame = asteroidsGame.snapshot(state, { ...seat, ackTick: first.msg.view.tick });
    const r = decodeSnapshot(frame, client.baselineFor);
    expect(r.ok && r.msg).toMatchObject({
      baselineTick: first.msg.view.tick,
      ackInputSeq: 5,
      view: viewOf(state),
    });
  });

  it('reports each slot’s stats', () => {
    const state = asteroidsGame.step(asteroidsGame.init(7, 10_800), [8, 0]);
    const [a, b] = asteroidsGame.stats(state);
    expect(a.shotsFired).toBe(1);
    expect(b.shotsFired).toBe(0);
  });
});
