// A bounded window of recent measurements (tick times, RTTs) and their percentiles.

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles; all zero for no samples. */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

export class SampleWindow {
  private readonly ring: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 2048) {}

  add(value: number): void {
    if (this.ring.length < this.capacity) this.ring.push(value);
    else this.ring[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }
  values(): number[] {
    return [...this.ring];
  }
  percentiles(): Percentiles {
    return percentiles(this.ring);
  }
}
