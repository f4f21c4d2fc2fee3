// Binary framing for the two data channels. See docs/protocol.md for the byte layouts.
export * from './codes.js';
export * from './control.js';
export * from './state.js';
export type { DecodeError, DecodeResult } from './result.js';
