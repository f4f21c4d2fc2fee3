// Sine and cosine of integer headings as integers scaled by TRIG_ONE (2^14). Math.sin may
// differ by an ulp between engines, which would fork client prediction from the server,
// so the table is written out as literals (generated once, checked by trig.test.ts).
import { wrapHeading } from './fixed.js';

export const TRIG_ONE = 1 << 14;

/** sin(i · 90° / 64) · 2^14, rounded, for i = 0…64: the first quarter turn. */
const QUARTER = [
  0, 402, 804, 1205, 1606, 2006, 2404, 2801, 3196, 3590, 3981, 4370, 4756, 5139, 5520, 5897, 6270,
  6639, 7005, 7366, 7723, 8076, 8423, 8765, 9102, 9434, 9760, 10080, 10394, 10702, 11003, 11297,
  11585, 11866, 12140, 12406, 12665, 12916, 13160, 13395, 13623, 13842, 14053, 14256, 14449, 14635,
  14811, 14978, 15137, 15286, 15426, 15557, 15679, 15791, 15893, 15986, 16069, 16143, 16207, 16261,
  16305, 16340, 16364, 16379, 16384,
] as const;

/** The full turn, built from the quarter by symmetry (integer negation only). */
const SINE: readonly number[] = Array.from({ length: 256 }, (_, h) => {
  const q = h % 64;
  const quadrant = Math.floor(h / 64);
  const v = quadrant % 2 === 0 ? (QUARTER[q] ?? 0) : (QUARTER[64 - q] ?? 0);
  return quadrant < 2 ? v : -v + 0;
});

/** sin(heading · 360° / 256) · 2^14. */
export const sin = (heading: number): number => SINE[wrapHeading(heading)] ?? 0;
/** cos(heading · 360° / 256) · 2^14. */
export const cos = (heading: number): number => sin(heading + 64);
