// input (state code 64), version 1: the client's last few inputs in every frame, so a lost
// datagram costs nothing (the next one repeats it), plus the newest snapshot tick the
// client holds, which the server uses as that client's delta baseline.
import { BUTTON_MASK, StateCode } from './codes.js';
import { decodeFrame, type DecodeResult } from './result.js';
import { Writer } from './wire.js';

/** input.flags bits 0–3. Version 0 (one input per frame) is gone: it is malformed now. */
export const INPUT_VERSION = 1;
/** Inputs per frame: at 60 inputs/s, 8 cover 133 ms of consecutive losses. */
export const MAX_INPUTS_PER_FRAME = 8;
const MAX_SEQ = 0xffff_ffff;

export interface Inputs {
  readonly type: 'input';
  /** Newest snapshot tick the client has decoded (0 = none yet): the server's delta baseline. */
  readonly ackSnapshotTick: number;
  /** Sequence number of buttons[0] (≥ 1); buttons[i] is input firstSeq + i, oldest first. */
  readonly firstSeq: number;
  /** 1–8 button bitfields (see Button in codes.ts), one per tick, oldest first. */
  readonly buttons: readonly number[];
}

function check(m: Omit<Inputs, 'type'>): void {
  const n = m.buttons.length;
  if (n < 1 || n > MAX_INPUTS_PER_FRAME) throw new RangeError(`${n} inputs (1–8 per frame)`);
  if (m.firstSeq < 1 || m.firstSeq + n - 1 > MAX_SEQ) throw new RangeError('seq out of range');
  if (m.buttons.some((b) => b & ~BUTTON_MASK)) throw new RangeError('reserved button bit set');
}

// input: flags u8, ackSnapshotTick u32, firstSeq u32, count u8, buttons u8 × count
export function encodeInputs(m: Omit<Inputs, 'type'>): Uint8Array {
  check(m);
  const w = new Writer(1 + 1 + 4 + 4 + 1 + m.buttons.length)
    .u8(StateCode.input)
    .u8(INPUT_VERSION)
    .u32(m.ackSnapshotTick)
    .u32(m.firstSeq)
    .u8(m.buttons.length);
  for (const b of m.buttons) w.u8(b);
  return w.finish();
}

export function decodeInputs(bytes: Uint8Array): DecodeResult<Inputs> {
  return decodeFrame(bytes, StateCode.input, (r) => {
    const flags = r.u8();
    const ackSnapshotTick = r.u32();
    const firstSeq = r.u32();
    const count = r.u8();
    // Reserved flag bits and other versions are malformed until a version defines them.
    if (flags !== INPUT_VERSION) r.fail();
    if (count < 1 || count > MAX_INPUTS_PER_FRAME) r.fail();
    if (firstSeq < 1 || firstSeq + count - 1 > MAX_SEQ) r.fail();
    const buttons: number[] = [];
    for (let i = 0; i < count && r.good; i++) {
      const b = r.u8();
      if (b & ~BUTTON_MASK) r.fail();
      buttons.push(b);
    }
    return { type: 'input', ackSnapshotTick, firstSeq, buttons };
  });
}
