// Remote objects are drawn a little in the past, between the two snapshots around that moment,
// so they move smoothly whatever the jitter and loss (about 100 ms of buffer: 3 snapshots at 30 Hz).

export interface Timed<V> {
  tick: number;
  view: V;
}

export interface Sample<V> {
  from: V;
  to: V;
  /** 0 at `from`, 1 at `to`. */
  alpha: number;
}

export class InterpolationBuffer<V> {
  private readonly frames: Timed<V>[] = [];
  /** Times the render point was past the newest snapshot: the buffer ran dry. */
  underruns = 0;

  constructor(private readonly capacity = 32) {}

  push(tick: number, view: V): void {
    const last = this.frames[this.frames.length - 1];
    if (last && tick <= last.tick) {
      // Unordered channel: slot an older snapshot in where it belongs, drop a duplicate.
      if (this.frames.some((f) => f.tick === tick)) return;
      this.frames.push({ tick, view });
      this.frames.sort((a, b) => a.tick - b.tick);
    } else {
      this.frames.push({ tick, view });
    }
    if (this.frames.length > this.capacity) this.frames.shift();
  }

  get newest(): Timed<V> | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** The two snapshots around `renderTick`; holds the newest one when the buffer runs dry. */
  sample(renderTick: number): Sample<V> | undefined {
    const frames = this.frames;
    if (frames.length === 0) return undefined;
    const newest = frames[frames.length - 1]!;
    if (renderTick >= newest.tick) {
      if (renderTick > newest.tick) this.underruns++;
      return { from: newest.view, to: newest.view, alpha: 1 };
    }
    for (let i = frames.length - 1; i > 0; i--) {
      const to = frames[i]!;
      const from = frames[i - 1]!;
      if (from.tick <= renderTick) {
        return {
          from: from.view,
          to: to.view,
          alpha: (renderTick - from.tick) / (to.tick - from.tick),
        };
      }
    }
    const oldest = frames[0]!;
    return { from: oldest.view, to: oldest.view, alpha: 0 };
  }
}

/** Linear interpolation on a wrapping axis: the short way round the arena's edge. */
export function lerpWrapped(a: number, b: number, alpha: number, size: number): number {
  let d = b - a;
  if (d > size / 2) d -= size;
  else if (d < -size / 2) d += size;
  const v = a + d * alpha;
  return ((v % size) + size) % size;
}
