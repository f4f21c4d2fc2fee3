import { describe, expect, it } from 'vitest';
import { Button } from './codes.js';
import { decodeInput, decodeSnapshot, decodeState, encodeInput, encodeSnapshot } from './state.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

describe('state codecs round-trip', () => {
  it('input', () => {
    const m = { seq: 0xffff_ffff, tick: 12, buttons: Button.thrust | Button.fire };
    expect(decodeInput(encodeInput(m))).toEqual({ ok: true, msg: { type: 'input', ...m } });
  });
  it('snapshot (f32-representable values)', () => {
    const m = {
      tick: 99,
      players: [
        { x: 1.5, y: -2.25 },
        { x: Math.fround(0.1), y: 1e6 },
      ],
    } as const;
    expect(decodeSnapshot(encodeSnapshot(m))).toEqual({
      ok: true,
      msg: { type: 'snapshot', ...m },
    });
  });
  it('decodeState dispatches both', () => {
    expect(decodeState(encodeInput({ seq: 1, tick: 2, buttons: 0 }))).toMatchObject({
      ok: true,
      msg: { type: 'input' },
    });
    const snap = encodeSnapshot({
      tick: 3,
      players: [
        { x: 0, y: 0 },
        { x: 0, y: 0 },
      ],
    });
    expect(decodeState(snap)).toMatchObject({ ok: true, msg: { type: 'snapshot', tick: 3 } });
  });
});

describe('state frames are stable on the wire', () => {
  it('input', () => {
    expect(hex(encodeInput({ seq: 1, tick: 2, buttons: 5 }))).toBe(
      '40' + '00' + '01000000' + '02000000' + '05',
    );
  });
  it('snapshot', () => {
    const snap = encodeSnapshot({
      tick: 1,
      players: [
        { x: 1, y: 0 },
        { x: 0, y: -1 },
      ],
    });
    expect(hex(snap)).toBe('41' + '01000000' + '0000803f' + '00000000' + '00000000' + '000080bf');
  });
});

describe('state decoders refuse bad frames', () => {
  it('unknown codes', () => {
    for (const code of [0, 1, 8, 66, 127, 128]) {
      expect(decodeState(new Uint8Array([code]))).toEqual({
        ok: false,
        error: 'unknown_code',
        code,
      });
    }
  });
  it('input with an unknown version, reserved flags or reserved buttons', () => {
    for (const frame of [
      '40' + '01' + '01000000' + '02000000' + '00', // version 1 not defined yet
      '40' + '10' + '01000000' + '02000000' + '00', // reserved flag bit
      '40' + '00' + '01000000' + '02000000' + '10', // reserved button bit
      '40' + '00' + '01000000' + '02000000', // truncated
      '40' + '00' + '01000000' + '02000000' + '0000', // extended
    ]) {
      expect(decodeState(bytes(frame)), frame).toEqual({ ok: false, error: 'malformed' });
    }
  });
  it('snapshot with non-finite coordinates', () => {
    const frame = '41' + '01000000' + '0000c07f' + '00000000' + '00000000' + '00000000';
    expect(decodeState(bytes(frame))).toEqual({ ok: false, error: 'malformed' });
  });
});
