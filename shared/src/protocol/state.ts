// State channel (unreliable, unordered) codecs. Frames here may arrive late, twice or
// never, so each one carries its own sequence or tick number:
//   input (64):    inputs.ts          client → server
//   snapshot (65): snapshot-codec.ts  server → client
import { StateCode } from './codes.js';
import { decodeInputs, type Inputs } from './inputs.js';
import { malformed, unknownCode, type DecodeResult } from './result.js';
import { decodeSnapshot, type Snapshot } from './snapshot-codec.js';
import type { SnapshotView } from './snapshot-view.js';

export type StateMessage = Inputs | Snapshot;

/**
 * Decodes any state frame; a code that is not a state code is unknown_code. Snapshot deltas
 * need the client's views (`baselineFor`); without it only full snapshots decode.
 */
export function decodeState(
  bytes: Uint8Array,
  baselineFor?: (tick: number) => SnapshotView | undefined,
): DecodeResult<StateMessage> {
  const code = bytes[0];
  if (code === undefined) return malformed;
  if (code === StateCode.input) return decodeInputs(bytes);
  if (code === StateCode.snapshot) return decodeSnapshot(bytes, baselineFor);
  return unknownCode(code);
}
