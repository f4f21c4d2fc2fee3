// Binary framing for the two data channels. See docs/protocol.md for the byte layouts.
export * from './codes.js';
export * from './control.js';
export * from './state.js';
export * from './inputs.js';
export * from './input-window.js';
export * from './snapshot-codec.js';
export * from './snapshot-view.js';
export * from './view-history.js';
export type { DecodeError, DecodeResult } from './result.js';
