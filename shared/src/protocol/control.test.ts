import { describe, expect, it } from 'vitest';
import {
  decodeControl,
  decodeError,
  decodeLeave,
  decodeMatchEnd,
  decodeMatchStart,
  decodeOpponentLeft,
  decodePing,
  decodePong,
  decodeServerStopping,
  encodeControl,
  encodeError,
  encodeLeave,
  encodeMatchEnd,
  encodeMatchStart,
  encodeOpponentLeft,
  encodePing,
  encodePong,
  encodeServerStopping,
  type ControlMessage,
} from './control.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

const start = {
  matchId: 'm-1',
  you: 1,
  opponent: 'bob',
  tickRate: 60,
  snapshotRate: 30,
  serverTick: 258,
} as const;

describe('control codecs round-trip', () => {
  it('match_start', () => {
    expect(decodeMatchStart(encodeMatchStart(start))).toEqual({
      ok: true,
      msg: { type: 'match_start', ...start },
    });
  });
  it('match_start with 64-byte multi-byte UTF-8 names', () => {
    const name = 'é'.repeat(32); // 64 bytes
    const m = { ...start, matchId: name, opponent: name, you: 0 as const };
    expect(decodeMatchStart(encodeMatchStart(m))).toEqual({
      ok: true,
      msg: { type: 'match_start', ...m },
    });
  });
  it('ping and pong', () => {
    const body = { id: 0xffff_ffff, t: 1234.5678 };
    expect(decodePing(encodePing(body))).toEqual({ ok: true, msg: { type: 'ping', ...body } });
    expect(decodePong(encodePong(body))).toEqual({ ok: true, msg: { type: 'pong', ...body } });
  });
  it('messages without a body', () => {
    expect(decodeOpponentLeft(encodeOpponentLeft())).toEqual({
      ok: true,
      msg: { type: 'opponent_left' },
    });
    expect(decodeServerStopping(encodeServerStopping())).toEqual({
      ok: true,
      msg: { type: 'server_stopping' },
    });
    expect(decodeLeave(encodeLeave())).toEqual({ ok: true, msg: { type: 'leave' } });
  });
  it('match_end with every winner slot', () => {
    for (const winnerSlot of [-1, 0, 1] as const) {
      const m = { reason: 'timeout', winnerSlot } as const;
      expect(decodeMatchEnd(encodeMatchEnd(m))).toEqual({
        ok: true,
        msg: { type: 'match_end', ...m },
      });
    }
  });
  it('error', () => {
    expect(decodeError(encodeError({ code: 'unknown_code' }))).toEqual({
      ok: true,
      msg: { type: 'error', code: 'unknown_code' },
    });
  });
  it('decodeControl dispatches every message type', () => {
    const all: ControlMessage[] = [
      { type: 'match_start', ...start },
      { type: 'ping', id: 1, t: 2 },
      { type: 'pong', id: 3, t: 4 },
      { type: 'opponent_left' },
      { type: 'server_stopping' },
      { type: 'match_end', reason: 'server_stopping', winnerSlot: -1 },
      { type: 'error', code: 'internal' },
      { type: 'leave' },
      { type: 'opponent_away', graceMs: 8000 },
      { type: 'opponent_back' },
    ];
    for (const msg of all) expect(decodeControl(encodeControl(msg))).toEqual({ ok: true, msg });
  });
});

// Frames frozen byte for byte: a codec change that breaks old clients fails here.
describe('control frames are stable on the wire', () => {
  it('match_start', () => {
    expect(hex(encodeMatchStart(start))).toBe(
      '01' + '036d2d31' + '01' + '03626f62' + '3c1e' + '02010000',
    );
  });
  it('ping / pong are little-endian', () => {
    expect(hex(encodePing({ id: 1, t: 1 }))).toBe('02' + '01000000' + '000000000000f03f');
    expect(hex(encodePong({ id: 1, t: 1 }))).toBe('03' + '01000000' + '000000000000f03f');
  });
  it('bare and small frames', () => {
    expect(hex(encodeOpponentLeft())).toBe('04');
    expect(hex(encodeServerStopping())).toBe('05');
    expect(hex(encodeMatchEnd({ reason: 'opponent_left', winnerSlot: -1 }))).toBe('0602ff');
    expect(hex(encodeError({ code: 'unexpected_message' }))).toBe('0702');
    expect(hex(encodeLeave())).toBe('08');
    expect(hex(encodeControl({ type: 'opponent_away', graceMs: 10_000 }))).toBe('09' + '10270000');
    expect(hex(encodeControl({ type: 'opponent_back' }))).toBe('0a');
  });
});

describe('control decoders refuse bad frames', () => {
  it('empty frame is malformed', () => {
    expect(decodeControl(new Uint8Array())).toEqual({ ok: false, error: 'malformed' });
  });
  it('unknown and state-range codes are unknown_code', () => {
    for (const code of [0, 11, 63, 64, 65, 200]) {
      expect(decodeControl(new Uint8Array([code]))).toEqual({
        ok: false,
        error: 'unknown_code',
        code,
      });
    }
  });
  it('a per-message decoder given another code says unknown_code', () => {
    expect(decodePing(encodeLeave())).toMatchObject({ ok: false, error: 'unknown_code' });
  });
  it('trailing and missing bytes are malformed', () => {
    expect(decodeControl(bytes('0800'))).toEqual({ ok: false, error: 'malformed' });
    expect(decodeControl(bytes('0201000000'))).toEqual({ ok: false, error: 'malformed' });
  });
  it('out-of-set field values are malformed', () => {
    const cases = [
      '0600ff', // reason 0
      '0608ff', // reason 8 (undefined)
      '060102', // winner slot 2
      '0700', // error code 0
      '01' + '00' + '02' + '00' + '3c1e' + '00000000', // you = 2
      '01' + '00' + '00' + '00' + '001e' + '00000000', // tickRate 0
      '02' + '01000000' + '000000000000f87f', // t = NaN
      '01' + '41' + '41'.repeat(65) + '00' + '00' + '3c1e' + '00000000', // 65-byte id
      '01' + '01' + 'ff' + '00' + '00' + '3c1e' + '00000000', // invalid UTF-8
    ];
    for (const frame of cases) {
      expect(decodeControl(bytes(frame)), frame).toEqual({ ok: false, error: 'malformed' });
    }
  });
  it('decodes a frame that is a view into a larger buffer', () => {
    const frame = encodePing({ id: 7, t: 9 });
    const big = new Uint8Array(frame.length + 10);
    big.set(frame, 5);
    expect(decodeControl(big.subarray(5, 5 + frame.length))).toEqual({
      ok: true,
      msg: { type: 'ping', id: 7, t: 9 },
    });
  });
});

describe('control encoders refuse values they cannot represent', () => {
  it('strings over 64 bytes', () => {
    expect(() => encodeMatchStart({ ...start, opponent: 'x'.repeat(65) })).toThrow(RangeError);
  });
  it('integers out of range', () => {
    expect(() => encodeMatchStart({ ...start, tickRate: 256 })).toThrow(RangeError);
    expect(() => encodePing({ id: -1, t: 0 })).toThrow(RangeError);
    expect(() => encodePing({ id: 1, t: Number.NaN })).toThrow(RangeError);
  });
});
