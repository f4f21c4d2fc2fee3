// Properties of delta encoding: whatever the baseline and whatever the network loses, the
// client decodes exactly the view the server encoded, the same as a full snapshot gives.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng.js';
import { createGame, step } from '../sim/step.js';
import { randomView, successor } from './sample-views.js';
import { decodeSnapshot, encodeSnapshot, MAX_SNAPSHOT_BYTES } from './snapshot-codec.js';
import { viewOf, type SnapshotView } from './snapshot-view.js';
import { ViewHistory } from './view-history.js';

const header = { ackInputSeq: 3 };

describe('delta = full (property)', () => {
  it('random baselines and successors: the delta decodes to the view, within the bound', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (a, b, age) => {
        const r = randomView(a);
        const base: SnapshotView = { ...r, tick: Math.max(1, r.tick % 0xffff_0000) };
        const view = successor(base, age, b);
        const delta = encodeSnapshot(view, base, header);
        const full = encodeSnapshot(view, undefined, header);
        expect(delta.length).toBeLessThanOrEqual(MAX_SNAPSHOT_BYTES);
        expect(full.length).toBeLessThanOrEqual(MAX_SNAPSHOT_BYTES);
        const baselineFor = (tick: number) => (tick === base.tick ? base : undefined);
        const viaDelta = decodeSnapshot(delta, baselineFor);
        expect(viaDelta).toEqual({
          ok: true,
          msg: { type: 'snapshot', view, baselineTick: base.tick, ackInputSeq: 3 },
        });
        expect(decodeSnapshot(full)).toEqual({
          ok: true,
          msg: { type: 'snapshot', view, baselineTick: 0, ackInputSeq: 3 },
        });
      }),
      { numRuns: 2_000 },
    );
  }, 30_000);

  it('a lossy channel both ways: every snapshot the client decodes is the server view', () => {
    const link = fc.record({
      seed: fc.nat(),
      downLoss: fc.integer({ min: 0, max: 90 }),
      upLoss: fc.integer({ min: 0, max: 90 }),
      upDelay: fc.integer({ min: 0, max: 20 }),
      channel: fc.nat(),
    });
    fc.assert(
      fc.property(link, ({ seed, downLoss, upLoss, upDelay, channel }) => {
        const net = new Rng(channel);
        const lost = (percent: number) => net.int(0, 99) < percent;
        const sent = new ViewHistory(); // server: the views it sent
        const held = new ViewHistory(); // client: the views it decoded
        let serverAck = 0; // newest client ack the server has received
        let clientNewest = 0;
        const acksInFlight: { arrives: number; tick: number }[] = [];
        let state = createGame(seed);
        let decoded = 0;
        for (let t = 0; t < 240; t++) {
          state = step(state, [net.int(0, 15), net.int(0, 15)]);
          // Upstream: every tick the client's input frame carries its newest snapshot tick.
          if (!lost(upLoss)) acksInFlight.push({ arrives: t + upDelay, tick: clientNewest });
          for (const a of acksInFlight.filter((x) => x.arrives <= t)) {
            serverAck = Math.max(serverAck, a.tick);
          }
          acksInFlight.splice(0, acksInFlight.length, ...acksInFlight.filter((x) => x.arrives > t));
          if (state.tick % 2 !== 0) continue;
          const view = viewOf(state);
          sent.put(view);
          const frame = encodeSnapshot(view, sent.get(serverAck), header);
          if (lost(downLoss)) continue;
          const r = decodeSnapshot(frame, held.baselineFor);
          if (!r.ok) expect.fail(`tick ${view.tick}: ${r.error}`);
          // isDeepStrictEqual: as strict as toEqual here, and fast enough for 20,000 views.
          expect(isDeepStrictEqual(r.msg.view, view)).toBe(true);
          held.put(r.msg.view);
          clientNewest = Math.max(clientNewest, r.msg.view.tick);
          decoded++;
        }
        expect(decoded).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  }, 30_000);
});
