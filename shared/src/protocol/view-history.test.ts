import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, type SnapshotView } from './snapshot-view.js';
import { ViewHistory } from './view-history.js';

const at = (tick: number): SnapshotView => ({ ...EMPTY_VIEW, tick });

describe('ViewHistory', () => {
  it('gives back the view of exactly the tick asked for', () => {
    const h = new ViewHistory(8);
    h.put(at(2));
    h.put(at(4));
    expect(h.get(4)).toEqual(at(4));
    expect(h.baselineFor(2)).toEqual(at(2));
    expect(h.get(3)).toBeUndefined();
    expect(h.get(12)).toBeUndefined();
  });
  it('forgets views older than its capacity', () => {
    const h = new ViewHistory(8);
    h.put(at(2));
    h.put(at(10));
    expect(h.get(2)).toBeUndefined();
    expect(h.get(10)).toEqual(at(10));
  });
  it('a late, older view never evicts a newer one', () => {
    const h = new ViewHistory(8);
    h.put(at(10));
    h.put(at(2));
    expect(h.get(10)).toEqual(at(10));
    expect(h.get(2)).toBeUndefined();
  });
});
