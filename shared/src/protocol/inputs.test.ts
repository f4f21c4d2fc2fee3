import { describe, expect, it } from 'vitest';
import { Button } from './codes.js';
import { decodeInputs, encodeInputs } from './inputs.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

describe('input (version 1) round trip', () => {
  it('one input', () => {
    const m = { ackSnapshotTick: 0, firstSeq: 1, buttons: [Button.fire] };
    expect(decodeInputs(encodeInputs(m))).toEqual({ ok: true, msg: { type: 'input', ...m } });
  });
  it('eight inputs at the top of the seq range', () => {
    const m = {
      ackSnapshotTick: 0xffff_ffff,
      firstSeq: 0xffff_ffff - 7,
      buttons: [0, 1, 2, 4, 8, 15, 3, 12],
    };
    expect(decodeInputs(encodeInputs(m))).toEqual({ ok: true, msg: { type: 'input', ...m } });
  });
  it('is stable on the wire', () => {
    expect(hex(encodeInputs({ ackSnapshotTick: 258, firstSeq: 7, buttons: [1, 9] }))).toBe(
      '40' + '01' + '02010000' + '07000000' + '02' + '0109',
    );
  });
});

describe('input decoder refuses bad frames', () => {
  const frames: [string, string][] = [
    ['version 0 (the old single input)', '40 00 02010000 07000000 01 01'],
    ['version 2', '40 02 02010000 07000000 01 01'],
    ['a reserved flag bit', '40 11 02010000 07000000 01 01'],
    ['no inputs', '40 01 02010000 07000000 00'],
    ['nine inputs', '40 01 02010000 07000000 09' + '00'.repeat(9)],
    ['seq 0', '40 01 02010000 00000000 01 01'],
    ['seq past 2^32 − 1', '40 01 02010000 ffffffff 02 0101'],
    ['a reserved button bit', '40 01 02010000 07000000 02 0110'],
    ['fewer buttons than counted', '40 01 02010000 07000000 02 01'],
    ['more buttons than counted', '40 01 02010000 07000000 01 0101'],
    ['cut in the header', '40 01 0201'],
  ];
  for (const [what, frame] of frames) {
    it(what, () => expect(decodeInputs(bytes(frame))).toEqual({ ok: false, error: 'malformed' }));
  }
});

describe('input encoder refuses what it cannot represent', () => {
  const bad = [
    { ackSnapshotTick: 0, firstSeq: 1, buttons: [] },
    { ackSnapshotTick: 0, firstSeq: 1, buttons: new Array<number>(9).fill(0) },
    { ackSnapshotTick: 0, firstSeq: 0, buttons: [0] },
    { ackSnapshotTick: 0, firstSeq: 0xffff_ffff, buttons: [0, 0] },
    { ackSnapshotTick: 0, firstSeq: 1, buttons: [16] },
    { ackSnapshotTick: -1, firstSeq: 1, buttons: [0] },
  ];
  for (const m of bad)
    it(JSON.stringify(m), () => expect(() => encodeInputs(m)).toThrow(RangeError));
});
