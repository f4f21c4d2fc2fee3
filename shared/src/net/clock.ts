// Keeps the client's idea of the server's tick. Each snapshot says "the server was at tick T";
// it left the server about one-way-delay ago. The offset between the two clocks is estimated
// from many snapshots, trusting the fastest ones (least queuing), and drifts slowly so the
// rendered timeline never jumps.

export interface ClockOptions {
  tickRate: number;
  /** How far the estimate moves toward a new sample (0–1). */
  smoothing?: number;
}

export class ServerClock {
  private offsetMs: number | undefined;
  /** The server's clock stood still (a paused match): the next sample is taken as it is. */
  private jumped = false;
  private readonly msPerTick: number;
  private readonly smoothing: number;

  constructor(o: ClockOptions) {
    this.msPerTick = 1000 / o.tickRate;
    this.smoothing = o.smoothing ?? 0.05;
  }

  /** A snapshot of `tick` arrived at local time `nowMs`; `rttMs` is the current round trip. */
  observe(tick: number, nowMs: number, rttMs: number): void {
    const sample = tick * this.msPerTick - (nowMs - rttMs / 2);
    if (this.offsetMs === undefined || this.jumped) {
      this.offsetMs = sample;
      this.jumped = false;
      return;
    }
    // A sample ahead of the estimate came through faster than usual: take more of it.
    const weight = sample > this.offsetMs ? Math.min(1, this.smoothing * 4) : this.smoothing;
    this.offsetMs += (sample - this.offsetMs) * weight;
  }

  /**
   * The server's ticks stopped for a while and go on from where they were (a match paused
   * while a player rejoined): drifting back to them would show a frozen world for seconds, so
   * the next snapshot sets the clock outright.
   */
  resync(): void {
    this.jumped = true;
  }

  get synced(): boolean {
    return this.offsetMs !== undefined;
  }

  /** The server's tick now, fractional. */
  serverTick(nowMs: number): number {
    return ((this.offsetMs ?? 0) + nowMs) / this.msPerTick;
  }
}
