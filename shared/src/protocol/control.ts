// Control channel (reliable, ordered) codecs: one encode/decode pair per message.
// Byte layouts are documented in docs/protocol.md.
import {
  ControlCode,
  EndReason,
  ErrorCode,
  endReasonName,
  errorName,
  type EndReasonName,
  type ErrorName,
  type Slot,
  type WinnerSlot,
} from './codes.js';
import { decodeFrame, malformed, unknownCode, type DecodeResult } from './result.js';
import { utf8, Writer, type Reader } from './wire.js';

export interface MatchStart {
  readonly type: 'match_start';
  readonly matchId: string;
  readonly you: Slot;
  readonly opponent: string;
  readonly tickRate: number;
  readonly snapshotRate: number;
  readonly serverTick: number;
  /**
   * Ticks from the start to the time limit. A trailing field added after v1: absent in
   * older frames, which meant the standard MATCH_TICKS.
   */
  readonly matchTicks?: number;
}
export interface Ping {
  readonly type: 'ping';
  readonly id: number;
  readonly t: number;
}
export interface Pong {
  readonly type: 'pong';
  readonly id: number;
  readonly t: number;
}
export interface OpponentLeft {
  readonly type: 'opponent_left';
}
export interface ServerStopping {
  readonly type: 'server_stopping';
}
export interface MatchEnd {
  readonly type: 'match_end';
  readonly reason: EndReasonName;
  readonly winnerSlot: WinnerSlot;
}
export interface ErrorMessage {
  readonly type: 'error';
  readonly code: ErrorName;
}
export interface Leave {
  readonly type: 'leave';
}
/** The opponent's channels dropped: the match is paused, their seat held this much longer. */
export interface OpponentAway {
  readonly type: 'opponent_away';
  /** Milliseconds left for them to rejoin before the match is yours (opponent_left). */
  readonly graceMs: number;
}
export interface OpponentBack {
  readonly type: 'opponent_back';
}

export type ControlMessage =
  | MatchStart
  | Ping
  | Pong
  | OpponentLeft
  | ServerStopping
  | MatchEnd
  | ErrorMessage
  | Leave
  | OpponentAway
  | OpponentBack;

type Body<M> = Omit<M, 'type'>;

// match_start
export function encodeMatchStart(m: Body<MatchStart>): Uint8Array {
  const matchId = utf8(m.matchId);
  const opponent = utf8(m.opponent);
  const extra = m.matchTicks === undefined ? 0 : 4;
  const w = new Writer(1 + 1 + matchId.length + 1 + 1 + opponent.length + 1 + 1 + 4 + extra)
    .u8(ControlCode.match_start)
    .str(matchId)
    .u8(m.you)
    .str(opponent)
    .u8(m.tickRate)
    .u8(m.snapshotRate)
    .u32(m.serverTick);
  if (m.matchTicks !== undefined) w.u32(m.matchTicks);
  return w.finish();
}
export function decodeMatchStart(bytes: Uint8Array): DecodeResult<MatchStart> {
  return decodeFrame(bytes, ControlCode.match_start, (r) => {
    const matchId = r.str();
    const you = r.u8();
    const opponent = r.str();
    const tickRate = r.u8();
    const snapshotRate = r.u8();
    const serverTick = r.u32();
    const matchTicks = r.remaining >= 4 ? r.u32() : undefined;
    if (you > 1 || tickRate === 0 || snapshotRate === 0 || matchTicks === 0) r.fail();
    const slot: Slot = you === 1 ? 1 : 0;
    return {
      type: 'match_start',
      matchId,
      you: slot,
      opponent,
      tickRate,
      snapshotRate,
      serverTick,
      ...(matchTicks === undefined ? {} : { matchTicks }),
    };
  });
}

// ping / pong share a layout: id u32, t f64 (sender's clock, echoed unchanged).
function encodeEcho(code: number, m: { id: number; t: number }): Uint8Array {
  return new Writer(1 + 4 + 8).u8(code).u32(m.id).f64(m.t).finish();
}
const readEcho = (r: Reader) => ({ id: r.u32(), t: r.f64() });

export const encodePing = (m: Body<Ping>): Uint8Array => encodeEcho(ControlCode.ping, m);
export function decodePing(bytes: Uint8Array): DecodeResult<Ping> {
  return decodeFrame(bytes, ControlCode.ping, (r) => ({ type: 'ping', ...readEcho(r) }));
}
export const encodePong = (m: Body<Pong>): Uint8Array => encodeEcho(ControlCode.pong, m);
export function decodePong(bytes: Uint8Array): DecodeResult<Pong> {
  return decodeFrame(bytes, ControlCode.pong, (r) => ({ type: 'pong', ...readEcho(r) }));
}

// Messages with no body: the frame is the code byte alone.
const bare = (code: number): Uint8Array => new Writer(1).u8(code).finish();

export const encodeOpponentLeft = (): Uint8Array => bare(ControlCode.opponent_left);
export function decodeOpponentLeft(bytes: Uint8Array): DecodeResult<OpponentLeft> {
  return decodeFrame(bytes, ControlCode.opponent_left, () => ({ type: 'opponent_left' }));
}
export const encodeServerStopping = (): Uint8Array => bare(ControlCode.server_stopping);
export function decodeServerStopping(bytes: Uint8Array): DecodeResult<ServerStopping> {
  return decodeFrame(bytes, ControlCode.server_stopping, () => ({ type: 'server_stopping' }));
}
export const encodeLeave = (): Uint8Array => bare(ControlCode.leave);
export function decodeLeave(bytes: Uint8Array): DecodeResult<Leave> {
  return decodeFrame(bytes, ControlCode.leave, () => ({ type: 'leave' }));
}

// opponent_away: graceMs u32
export function encodeOpponentAway(m: Body<OpponentAway>): Uint8Array {
  return new Writer(5).u8(ControlCode.opponent_away).u32(m.graceMs).finish();
}
export function decodeOpponentAway(bytes: Uint8Array): DecodeResult<OpponentAway> {
  return decodeFrame(bytes, ControlCode.opponent_away, (r) => ({
    type: 'opponent_away',
    graceMs: r.u32(),
  }));
}
export const encodeOpponentBack = (): Uint8Array => bare(ControlCode.opponent_back);
export function decodeOpponentBack(bytes: Uint8Array): DecodeResult<OpponentBack> {
  return decodeFrame(bytes, ControlCode.opponent_back, () => ({ type: 'opponent_back' }));
}

// match_end: reason u8, winnerSlot i8
export function encodeMatchEnd(m: Body<MatchEnd>): Uint8Array {
  return new Writer(3).u8(ControlCode.match_end).u8(EndReason[m.reason]).i8(m.winnerSlot).finish();
}
export function decodeMatchEnd(bytes: Uint8Array): DecodeResult<MatchEnd> {
  return decodeFrame(bytes, ControlCode.match_end, (r) => {
    const reason = endReasonName(r.u8());
    const winner = r.i8();
    if (reason === undefined || winner < -1 || winner > 1) r.fail();
    const winnerSlot: WinnerSlot = winner === 0 || winner === 1 ? winner : -1;
    return { type: 'match_end', reason: reason ?? 'ended', winnerSlot };
  });
}

// error: code u8
export function encodeError(m: Body<ErrorMessage>): Uint8Array {
  return new Writer(2).u8(ControlCode.error).u8(ErrorCode[m.code]).finish();
}
export function decodeError(bytes: Uint8Array): DecodeResult<ErrorMessage> {
  return decodeFrame(bytes, ControlCode.error, (r) => {
    const code = errorName(r.u8());
    if (code === undefined) r.fail();
    return { type: 'error', code: code ?? 'internal' };
  });
}

const decoders: Record<number, (bytes: Uint8Array) => DecodeResult<ControlMessage>> = {
  [ControlCode.match_start]: decodeMatchStart,
  [ControlCode.ping]: decodePing,
  [ControlCode.pong]: decodePong,
  [ControlCode.opponent_left]: decodeOpponentLeft,
  [ControlCode.server_stopping]: decodeServerStopping,
  [ControlCode.match_end]: decodeMatchEnd,
  [ControlCode.error]: decodeError,
  [ControlCode.leave]: decodeLeave,
  [ControlCode.opponent_away]: decodeOpponentAway,
  [ControlCode.opponent_back]: decodeOpponentBack,
};

/** Decodes any control frame; a code that is not a control code is unknown_code. */
export function decodeControl(bytes: Uint8Array): DecodeResult<ControlMessage> {
  const code = bytes[0];
  if (code === undefined) return malformed;
  const decode = decoders[code];
  return decode ? decode(bytes) : unknownCode(code);
}

/** Encodes any control message (handy where the message is built as data). */
export function encodeControl(m: ControlMessage): Uint8Array {
  switch (m.type) {
    case 'match_start':
      return encodeMatchStart(m);
    case 'ping':
      return encodePing(m);
    case 'pong':
      return encodePong(m);
    case 'opponent_left':
      return encodeOpponentLeft();
    case 'server_stopping':
      return encodeServerStopping();
    case 'match_end':
      return encodeMatchEnd(m);
    case 'error':
      return encodeError(m);
    case 'leave':
      return encodeLeave();
    case 'opponent_away':
      return encodeOpponentAway(m);
    case 'opponent_back':
      return encodeOpponentBack();
  }
}
