// The server's side of input redundancy: every input frame repeats the last few inputs,
// so frames overlap. This hands each input on exactly once, in order, whatever the
// network does to the frames (late, twice, out of order).
import type { Inputs } from './inputs.js';

export interface SeqInput {
  readonly seq: number;
  readonly buttons: number;
}

/** The inputs of a frame with seq above `lastSeq`, oldest first (none if all are stale). */
export function freshInputs(lastSeq: number, frame: Pick<Inputs, 'firstSeq' | 'buttons'>) {
  const fresh: SeqInput[] = [];
  frame.buttons.forEach((buttons, i) => {
    const seq = frame.firstSeq + i;
    if (seq > lastSeq) fresh.push({ seq, buttons });
  });
  return fresh;
}

export class InputWindow {
  /** Newest seq handed on so far (0 before the first input). */
  lastSeq = 0;
  /** Inputs never received: gaps longer than one frame's window (a burst of losses). */
  missed = 0;

  /** The inputs of this frame not handed on before, oldest first. */
  accept(frame: Pick<Inputs, 'firstSeq' | 'buttons'>): SeqInput[] {
    const fresh = freshInputs(this.lastSeq, frame);
    const first = fresh[0];
    const last = fresh[fresh.length - 1];
    if (!first || !last) return fresh;
    this.missed += first.seq - this.lastSeq - 1;
    this.lastSeq = last.seq;
    return fresh;
  }
}
