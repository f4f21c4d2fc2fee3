// Property tests: every message round-trips, and no byte string makes a decoder throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUTTON_MASK, EndReason, ErrorCode, type EndReasonName, type ErrorName } from './codes.js';
import * as control from './control.js';
import { decodeInputs, encodeInputs } from './inputs.js';
import type { DecodeResult } from './result.js';
import { randomView, successor } from './sample-views.js';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot-codec.js';
import { type SnapshotView } from './snapshot-view.js';
import * as state from './state.js';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
// Names of at most 64 UTF-8 bytes.
const wireString = fc
  .string({ unit: 'grapheme', maxLength: 64 })
  .filter((s) => new TextEncoder().encode(s).length <= 64);
const slot = fc.constantFrom(0 as const, 1 as const);

const controlMessage: fc.Arbitrary<control.ControlMessage> = fc.oneof(
  fc.record({
    type: fc.constant('match_start' as const),
    matchId: wireString,
    you: slot,
    opponent: wireString,
    tickRate: fc.integer({ min: 1, max: 255 }),
    snapshotRate: fc.integer({ min: 1, max: 255 }),
    serverTick: u32,
  }),
  fc.record({ type: fc.constantFrom('ping' as const, 'pong' as const), id: u32, t: finite }),
  fc.constantFrom(
    { type: 'opponent_left' as const },
    { type: 'server_stopping' as const },
    { type: 'leave' as const },
    { type: 'opponent_back' as const },
  ),
  fc.record({ type: fc.constant('opponent_away' as const), graceMs: u32 }),
  fc.record({
    type: fc.constant('match_end' as const),
    reason: fc.constantFrom(...(Object.keys(EndReason) as EndReasonName[])),
    winnerSlot: fc.constantFrom(-1 as const, 0 as const, 1 as const),
  }),
  fc.record({
    type: fc.constant('error' as const),
    code: fc.constantFrom(...(Object.keys(ErrorCode) as ErrorName[])),
  }),
);

const inputs = fc.record({
  type: fc.constant('input' as const),
  ackSnapshotTick: u32,
  firstSeq: fc.integer({ min: 1, max: 0xffff_ffff - 7 }),
  buttons: fc.array(fc.integer({ min: 0, max: BUTTON_MASK }), { minLength: 1, maxLength: 8 }),
});

// Views come from a seed (sample-views.ts); every delta is taken against baseAt(tick): the
// same entities at any tick, so the decoders below can resolve any baseline a frame names.
const BASE = randomView(1);
const baseAt = (tick: number): SnapshotView => ({ ...BASE, tick });
const fullSnapshot = fc.record({ seed: fc.nat(), ack: u32 }).map(({ seed, ack }): Snapshot => ({
  type: 'snapshot',
  view: randomView(seed),
  baselineTick: 0,
  ackInputSeq: ack,
}));
const deltaSnapshot = fc
  .record({
    seed: fc.nat(),
    tick: fc.integer({ min: 1, max: 0xffff_0000 }),
    age: fc.integer({ min: 1, max: 255 }),
    ack: u32,
  })
  .map(({ seed, tick, age, ack }): Snapshot => ({
    type: 'snapshot',
    view: successor(baseAt(tick), age, seed),
    baselineTick: tick,
    ackInputSeq: ack,
  }));

const stateMessage: fc.Arbitrary<state.StateMessage> = fc.oneof(
  inputs,
  fullSnapshot,
  deltaSnapshot,
);

const encodeState = (m: state.StateMessage) =>
  m.type === 'input'
    ? encodeInputs(m)
    : encodeSnapshot(m.view, m.baselineTick ? baseAt(m.baselineTick) : undefined, m);

const validFrame = fc.oneof(
  controlMessage.map(control.encodeControl),
  stateMessage.map(encodeState),
);

// A valid frame with a few bits flipped, cut short or with bytes added.
const mutatedFrame = fc
  .tuple(
    validFrame,
    fc.array(fc.nat(), { maxLength: 4 }),
    fc.nat(),
    fc.uint8Array({ maxLength: 8 }),
    fc.constantFrom('flip', 'truncate', 'extend', 'all'),
  )
  .map(([frame, flips, cut, extra, how]) => {
    let out = Uint8Array.from(frame);
    if (how === 'flip' || how === 'all') {
      for (const bit of flips) {
        const i = Math.floor(bit / 8) % out.length;
        out[i] = (out[i] ?? 0) ^ (1 << (bit % 8));
      }
    }
    if (how === 'truncate' || how === 'all') out = out.slice(0, cut % (out.length + 1));
    if (how === 'extend' || how === 'all') out = Uint8Array.from([...out, ...extra]);
    return out;
  });

const decoders: Record<string, (b: Uint8Array) => DecodeResult<unknown>> = {
  decodeControl: control.decodeControl,
  decodeMatchStart: control.decodeMatchStart,
  decodePing: control.decodePing,
  decodePong: control.decodePong,
  decodeOpponentLeft: control.decodeOpponentLeft,
  decodeServerStopping: control.decodeServerStopping,
  decodeMatchEnd: control.decodeMatchEnd,
  decodeError: control.decodeError,
  decodeLeave: control.decodeLeave,
  decodeState: (b) => state.decodeState(b),
  decodeStateWithViews: (b) => state.decodeState(b, baseAt),
  decodeInputs,
  decodeSnapshot: (b) => decodeSnapshot(b),
  decodeSnapshotWithViews: (b) => decodeSnapshot(b, baseAt),
};

/** Runs every decoder; a throw fails the property, any result is fine. */
function allDecodersReturn(bytes: Uint8Array): boolean {
  for (const decode of Object.values(decoders)) {
    const result = decode(bytes);
    if (typeof result.ok !== 'boolean') return false;
  }
  return true;
}

describe('round trip (property)', () => {
  it('every control message', () => {
    fc.assert(
      fc.property(controlMessage, (msg) => {
        expect(control.decodeControl(control.encodeControl(msg))).toEqual({ ok: true, msg });
      }),
      { numRuns: 2_000 },
    );
  });
  it('every state message', () => {
    fc.assert(
      fc.property(stateMessage, (msg) => {
        expect(state.decodeState(encodeState(msg), baseAt)).toEqual({ ok: true, msg });
      }),
      { numRuns: 2_000 },
    );
  }, 30_000);
});

describe('hostile input never makes a decoder throw', () => {
  it('10,000 random byte arrays', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 800 }), allDecodersReturn), {
      numRuns: 10_000,
    });
  });
  it('10,000 random bodies behind a valid state header', () => {
    // Random bytes rarely start like a state frame; these reach deep into both decoders.
    const frame = fc
      .tuple(
        fc.constantFrom(0x40, 0x41),
        fc.constantFrom(0x01, 0x11, 0x21, 0x31),
        fc.uint8Array({ maxLength: 800 }),
      )
      .map(([code, flags, body]) => Uint8Array.from([code, flags, ...body]));
    fc.assert(fc.property(frame, allDecodersReturn), { numRuns: 10_000 });
  }, 60_000);
  it('10,000 mutated valid frames', () => {
    fc.assert(fc.property(mutatedFrame, allDecodersReturn), { numRuns: 10_000 });
  }, 60_000);
  it('a decoded mutated frame re-encodes to the same bytes', () => {
    // Anything a decoder accepts must be canonical: no two byte strings mean the same thing.
    fc.assert(
      fc.property(mutatedFrame, (bytes) => {
        const c = control.decodeControl(bytes);
        if (c.ok) expect(control.encodeControl(c.msg)).toEqual(bytes);
        const s = state.decodeState(bytes, baseAt);
        if (s.ok) expect(encodeState(s.msg)).toEqual(bytes);
      }),
      { numRuns: 10_000 },
    );
  }, 60_000);
});
