import { describe, expect, it } from 'vitest';
import { createGame } from '../sim/step.js';
import { encodeInputs } from './inputs.js';
import { encodeSnapshot } from './snapshot-codec.js';
import { viewOf } from './snapshot-view.js';
import { decodeState } from './state.js';

describe('decodeState', () => {
  it('dispatches inputs and snapshots', () => {
    const input = encodeInputs({ ackSnapshotTick: 0, firstSeq: 1, buttons: [0] });
    expect(decodeState(input)).toMatchObject({ ok: true, msg: { type: 'input' } });
    const view = viewOf(createGame(1));
    const snap = encodeSnapshot(view, undefined, { ackInputSeq: 0 });
    expect(decodeState(snap)).toMatchObject({ ok: true, msg: { type: 'snapshot', view } });
  });
  it('passes the client views on to the snapshot decoder', () => {
    const base = viewOf(createGame(1));
    const later = { ...base, tick: 2 };
    const base1 = { ...base, tick: 1 };
    const delta = encodeSnapshot(later, base1, { ackInputSeq: 0 });
    expect(decodeState(delta)).toEqual({ ok: false, error: 'unknown_baseline' });
    expect(decodeState(delta, (t) => (t === 1 ? base1 : undefined))).toMatchObject({ ok: true });
  });
  it('unknown codes', () => {
    for (const code of [0, 1, 8, 66, 127, 128]) {
      expect(decodeState(new Uint8Array([code]))).toEqual({
        ok: false,
        error: 'unknown_code',
        code,
      });
    }
    expect(decodeState(new Uint8Array())).toEqual({ ok: false, error: 'malformed' });
  });
});
