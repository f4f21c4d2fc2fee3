import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freshInputs, InputWindow } from './input-window.js';

const frame = (firstSeq: number, ...buttons: number[]) => ({ firstSeq, buttons });

describe('InputWindow', () => {
  it('hands on each input once, oldest first, from overlapping frames', () => {
    const w = new InputWindow();
    expect(w.accept(frame(1, 5))).toEqual([{ seq: 1, buttons: 5 }]);
    expect(w.accept(frame(1, 5, 6, 7))).toEqual([
      { seq: 2, buttons: 6 },
      { seq: 3, buttons: 7 },
    ]);
    expect(w.lastSeq).toBe(3);
  });
  it('ignores duplicates and frames that arrive late', () => {
    const w = new InputWindow();
    w.accept(frame(3, 1, 2, 3));
    expect(w.accept(frame(3, 1, 2, 3))).toEqual([]);
    expect(w.accept(frame(1, 9, 9))).toEqual([]);
    expect(w.lastSeq).toBe(5);
  });
  it('skips over inputs lost beyond the window, and counts them', () => {
    const w = new InputWindow();
    w.accept(frame(1, 0));
    expect(w.accept(frame(12, 4, 8))).toEqual([
      { seq: 12, buttons: 4 },
      { seq: 13, buttons: 8 },
    ]);
    expect(w.missed).toBe(10);
  });
  it('freshInputs is the pure core', () => {
    expect(freshInputs(4, frame(3, 1, 2, 3))).toEqual([{ seq: 5, buttons: 3 }]);
  });
  it('whatever the network does, seqs come out strictly increasing with their own buttons', () => {
    const buttonsOf = (seq: number) => (seq * 7) % 16;
    const frames = fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 100 });
    fc.assert(
      fc.property(frames, fc.integer({ min: 1, max: 8 }), (lastSeqs, k) => {
        const w = new InputWindow();
        const out = lastSeqs.flatMap((last) => {
          const first = Math.max(1, last - k + 1);
          const buttons = Array.from({ length: last - first + 1 }, (_, i) => buttonsOf(first + i));
          return w.accept({ firstSeq: first, buttons });
        });
        out.forEach((input, i) => {
          expect(input.buttons).toBe(buttonsOf(input.seq));
          if (i > 0) expect(input.seq).toBeGreaterThan(out[i - 1]!.seq);
        });
        expect(out.length + w.missed).toBe(w.lastSeq);
      }),
      { numRuns: 1_000 },
    );
  });
  it('with fewer than K frames lost in a row, every input arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 200 }), (lostPattern) => {
        const k = 8;
        const w = new InputWindow();
        let seq = 0;
        let lostRun = 0;
        for (const lost of lostPattern) {
          seq++;
          lostRun = lost && lostRun < k - 1 ? lostRun + 1 : 0;
          if (lostRun > 0) continue; // this frame is lost
          const first = Math.max(1, seq - k + 1);
          w.accept({ firstSeq: first, buttons: new Array<number>(seq - first + 1).fill(0) });
        }
        expect(w.missed).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
