// Every number that appears on the wire, as `as const` maps with derived unions.
// Frame code ranges (first byte of every frame):
//   0        never valid (a zeroed buffer must not decode as a message)
//   1–63     control channel (reliable, ordered)
//   64–127   state channel (unreliable, unordered)
//   128–255  reserved for future channels

/** Control channel frame codes (1–63). Direction noted per code. */
export const ControlCode = {
  match_start: 1, // server → client
  ping: 2, // both ways; the other side echoes it as pong
  pong: 3, // both ways
  opponent_left: 4, // server → client
  server_stopping: 5, // server → client
  match_end: 6, // server → client
  error: 7, // server → client, then the session closes
  leave: 8, // client → server
  opponent_away: 9, // server → client: the opponent dropped; the match is paused while their seat waits
  opponent_back: 10, // server → client: the opponent rejoined; the match goes on
} as const;
export type ControlType = keyof typeof ControlCode;
export type ControlCodeValue = (typeof ControlCode)[ControlType];

/** State channel frame codes (64–127). */
export const StateCode = {
  input: 64, // client → server
  snapshot: 65, // server → client
} as const;
export type StateType = keyof typeof StateCode;
export type StateCodeValue = (typeof StateCode)[StateType];

/** Why a match ended (match_end.reason, u8). 0 is never valid. */
export const EndReason = {
  ended: 1, // played to its natural end
  opponent_left: 2, // the other player sent leave or their channels closed
  timeout: 3, // the other player went silent past the heartbeat timeout
  server_stopping: 4, // the server is shutting down
  admin_ended: 5, // an admin ended the match
  connect_timeout: 6, // the players' channels never both opened
  server_error: 7, // the match's server failed (clients rarely see it: their server is gone)
} as const;
export type EndReasonName = keyof typeof EndReason;
export type EndReasonValue = (typeof EndReason)[EndReasonName];

/** error.code (u8): why the server is closing this session. 0 is never valid. */
export const ErrorCode = {
  unknown_code: 1, // the client sent a frame code the server does not know
  unexpected_message: 2, // a known code that the client may not send
  internal: 3, // the server failed; not the client's fault
} as const;
export type ErrorName = keyof typeof ErrorCode;
export type ErrorCodeValue = (typeof ErrorCode)[ErrorName];

/** input.buttons (u8 bitfield). Bits 4–7 are reserved and must be 0. */
export const Button = {
  thrust: 1 << 0,
  left: 1 << 1,
  right: 1 << 2,
  fire: 1 << 3,
} as const;
export const BUTTON_MASK = Button.thrust | Button.left | Button.right | Button.fire;

/** Player slot: 0 or 1. winnerSlot also allows -1 (draw or none). */
export type Slot = 0 | 1;
export type WinnerSlot = Slot | -1;

/** Longest matchId / username string on the wire, in UTF-8 bytes. */
export const MAX_STRING_BYTES = 64;

function nameOf<M extends Record<string, number>>(map: M, value: number): keyof M | undefined {
  for (const key of Object.keys(map) as (keyof M)[]) if (map[key] === value) return key;
  return undefined;
}

export const endReasonName = (value: number): EndReasonName | undefined => nameOf(EndReason, value);
export const errorName = (value: number): ErrorName | undefined => nameOf(ErrorCode, value);
