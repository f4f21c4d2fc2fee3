import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerClock } from './clock.js';
import { InterpolationBuffer, lerpWrapped } from './interpolation.js';
import { Predictor } from './prediction.js';

describe('ServerClock', () => {
  it('finds the server tick from snapshots that took half the RTT to arrive', () => {
    const clock = new ServerClock({ tickRate: 60 });
    // Server tick 600 (10 s) happened at local 5000 ms; each snapshot takes 20 ms one way.
    for (let tick = 600; tick < 900; tick += 2) {
      const sentAt = 5000 + ((tick - 600) * 1000) / 60;
      clock.observe(tick, sentAt + 20, 40);
    }
    expect(clock.serverTick(6000)).toBeCloseTo(660, 1);
  });

  it('leans toward the fastest samples when delay jitters', () => {
    const clock = new ServerClock({ tickRate: 60 });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 200, maxLength: 200 }),
        (extra) => {
          const c = new ServerClock({ tickRate: 60 });
          extra.forEach((e, i) => c.observe(i * 2, (i * 2 * 1000) / 60 + 10 + e, 20));
          // The truth is serverTick(t) = t·60/1000; queuing delay only ever makes snapshots late,
          // so the estimate may lag the truth but never runs ahead of it.
          const t = 10_000;
          const estimate = c.serverTick(t);
          return estimate <= (t * 60) / 1000 + 0.01 && estimate > (t * 60) / 1000 - 3.1;
        },
      ),
      { numRuns: 200 },
    );
    expect(clock.synced).toBe(false);
  });

  it('after the server stood still, resync takes the next snapshot as it is', () => {
    const drifting = new ServerClock({ tickRate: 60 });
    const resynced = new ServerClock({ tickRate: 60 });
    for (const c of [drifting, resynced]) {
      for (let tick = 0; tick <= 600; tick += 2) c.observe(tick, (tick * 1000) / 60 + 10, 20);
    }
    // Paused 5 s at tick 600; then tick 602 arrives at local 15,043 ms.
    resynced.resync();
    for (const c of [drifting, resynced]) c.observe(602, 15_043, 20);
    expect(resynced.serverTick(15_043)).toBeCloseTo(602.6, 1);
    // Without it the estimate stays seconds ahead of the server (a frozen picture meanwhile).
    expect(drifting.serverTick(15_043) - 602).toBeGreaterThan(200);
    // Only the one sample: later ones are smoothed again.
    resynced.observe(604, 15_043 + 1_000, 20);
    expect(resynced.serverTick(16_043)).toBeLessThan(604 + 60);
  });
});

describe('InterpolationBuffer', () => {
  it('interpolates between the snapshots around the render tick', () => {
    const b = new InterpolationBuffer<number>();
    b.push(10, 100);
    b.push(12, 200);
    expect(b.sample(11)).toEqual({ from: 100, to: 200, alpha: 0.5 });
  });

  it('slots late (unordered) snapshots in place and ignores duplicates', () => {
    const b = new InterpolationBuffer<number>();
    b.push(10, 100);
    b.push(14, 300);
    b.push(12, 200);
    b.push(12, 999);
    expect(b.sample(13)).toEqual({ from: 200, to: 300, alpha: 0.5 });
  });

  it('holds the newest snapshot and counts an underrun when the buffer runs dry', () => {
    const b = new InterpolationBuffer<number>();
    b.push(10, 100);
    expect(b.sample(15)).toEqual({ from: 100, to: 100, alpha: 1 });
    expect(b.underruns).toBe(1);
  });

  it('wraps the short way round an edge', () => {
    expect(lerpWrapped(1590, 10, 0.5, 1600)).toBe(0);
    expect(lerpWrapped(10, 1590, 0.25, 1600)).toBe(5);
  });
});

describe('Predictor', () => {
  // A 1-D ship: each input moves it by its buttons value.
  const step = (x: number, b: number) => x + b;
  const dist = (a: number, b: number) => Math.abs(a - b);

  it('replays the unacknowledged inputs on top of the authoritative state', () => {
    const p = new Predictor(step, dist);
    p.reconcile(0, 0);
    for (let seq = 1; seq <= 5; seq++) p.input(seq, 1);
    expect(p.current).toBe(5);
    // The server applied inputs 1–3 and says the ship is at 3: no error, 2 still pending.
    expect(p.reconcile(3, 3)).toBe(5);
    expect(p.errors.at(-1)).toBe(0);
    expect(p.unacknowledged).toBe(2);
  });

  it('corrects a wrong prediction and measures the error', () => {
    const p = new Predictor(step, dist);
    p.reconcile(0, 0);
    p.input(1, 1);
    p.input(2, 1);
    // The server saw the ship pushed by something else: it is at 10 after input 1.
    expect(p.reconcile(10, 1)).toBe(11);
    expect(p.errors.at(-1)).toBe(9);
  });

  it('matches the server exactly whatever order acknowledgements arrive in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        (inputs, cut) => {
          const p = new Predictor(step, dist);
          p.reconcile(0, 0);
          inputs.forEach((b, i) => p.input(i + 1, b));
          const acked = cut % (inputs.length + 1);
          const server = inputs.slice(0, acked).reduce(step, 0);
          return p.reconcile(server, acked) === inputs.reduce(step, 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
