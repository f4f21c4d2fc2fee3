// State channel (unreliable, unordered) codecs. Frames here may arrive late, twice or
// never, so each one carries its own sequence or tick number.
import { BUTTON_MASK, StateCode } from './codes.js';
import { decodeFrame, malformed, unknownCode, type DecodeResult } from './result.js';
import { Writer } from './wire.js';

/** input.flags bits 0–3: body format version. Version 0 carries one input. */
export const INPUT_VERSION = 0;
const VERSION_MASK = 0x0f;

export interface Input {
  readonly type: 'input';
  /** Client's input sequence number, +1 per input sent. */
  readonly seq: number;
  /** Client's estimate of the server tick this input is for. */
  readonly tick: number;
  /** Button bitfield (see Button in codes.ts). */
  readonly buttons: number;
}

export interface PlayerPosition {
  readonly x: number;
  readonly y: number;
}

/** Placeholder snapshot: the next issue replaces the body with the real game state. */
export interface Snapshot {
  readonly type: 'snapshot';
  readonly tick: number;
  readonly players: readonly [PlayerPosition, PlayerPosition];
}

export type StateMessage = Input | Snapshot;

type Body<M> = Omit<M, 'type'>;

// input: flags u8, seq u32, tick u32, buttons u8
export function encodeInput(m: Body<Input>): Uint8Array {
  return new Writer(1 + 1 + 4 + 4 + 1)
    .u8(StateCode.input)
    .u8(INPUT_VERSION)
    .u32(m.seq)
    .u32(m.tick)
    .u8(m.buttons)
    .finish();
}
export function decodeInput(bytes: Uint8Array): DecodeResult<Input> {
  return decodeFrame(bytes, StateCode.input, (r) => {
    const flags = r.u8();
    const seq = r.u32();
    const tick = r.u32();
    const buttons = r.u8();
    // Reserved flag bits and unknown versions are malformed until a version defines them.
    if ((flags & VERSION_MASK) !== INPUT_VERSION || flags & ~VERSION_MASK) r.fail();
    if (buttons & ~BUTTON_MASK) r.fail();
    return { type: 'input', seq, tick, buttons };
  });
}

// snapshot: tick u32, then for slot 0 and slot 1: x f32, y f32
export function encodeSnapshot(m: Body<Snapshot>): Uint8Array {
  const w = new Writer(1 + 4 + 2 * 8).u8(StateCode.snapshot).u32(m.tick);
  for (const p of m.players) w.f32(p.x).f32(p.y);
  return w.finish();
}
export function decodeSnapshot(bytes: Uint8Array): DecodeResult<Snapshot> {
  return decodeFrame(bytes, StateCode.snapshot, (r) => {
    const tick = r.u32();
    const a = { x: r.f32(), y: r.f32() };
    const b = { x: r.f32(), y: r.f32() };
    return { type: 'snapshot', tick, players: [a, b] };
  });
}

/** Decodes any state frame; a code that is not a state code is unknown_code. */
export function decodeState(bytes: Uint8Array): DecodeResult<StateMessage> {
  const code = bytes[0];
  if (code === undefined) return malformed;
  if (code === StateCode.input) return decodeInput(bytes);
  if (code === StateCode.snapshot) return decodeSnapshot(bytes);
  return unknownCode(code);
}
