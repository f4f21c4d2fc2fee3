// Recent snapshot views by tick. The server keeps the views it sent, to encode each
// client's next delta against the one that client acknowledged; the client keeps the views
// it decoded, to resolve the baseline a delta names (decodeSnapshot's baselineFor).
import type { SnapshotView } from './snapshot-view.js';

export class ViewHistory {
  private readonly ring: (SnapshotView | undefined)[];

  /** Holds views of the last `capacity` ticks (64 ticks ≈ 1 s at 60 Hz). */
  constructor(private readonly capacity = 64) {
    this.ring = new Array<SnapshotView | undefined>(capacity);
  }

  /** Keeps a view; a late, older one never evicts a newer view from its slot. */
  put(view: SnapshotView): void {
    const at = view.tick % this.capacity;
    const held = this.ring[at];
    if (!held || held.tick < view.tick) this.ring[at] = view;
  }

  /** The view of exactly this tick, if still held. */
  get(tick: number): SnapshotView | undefined {
    const view = this.ring[tick % this.capacity];
    return view?.tick === tick ? view : undefined;
  }

  /** get, bound: pass it to decodeSnapshot. */
  readonly baselineFor = (tick: number): SnapshotView | undefined => this.get(tick);
}
