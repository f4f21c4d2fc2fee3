import { describe, expect, it } from 'vitest';
import { encodeSnapshot, viewOf, ViewHistory } from '../../../shared/src/protocol/index.js';
import { MAX_ASTEROIDS, MAX_PROJECTILES } from '../../../shared/src/sim/constants.js';
import { initialState, stepGame, type GameState } from '../../../shared/src/sim/rules.js';
import type { SnapshotView } from '../../../shared/src/protocol/index.js';
import { PackedViews, SeatViews } from './packed-views.js';

/** Views of a match where both ships thrust, turn and fire: every entity kind and field moves. */
function views(count: number, seed = 3): SnapshotView[] {
  let state: GameState = initialState(seed, 10_800);
  const out: SnapshotView[] = [];
  while (out.length < count) {
    const buttons = state.tick % 7 < 4 ? 0b1011 : 0b1101;
    state = stepGame(state, [buttons, state.tick % 5 < 2 ? 0b1001 : 0b0110]);
    out.push(viewOf(state));
  }
  return out;
}

describe('PackedViews', () => {
  it('gives back every field of the views it holds, equal to the objects put', () => {
    const all = views(600);
    const packed = new PackedViews(16);
    for (const view of all) {
      packed.put(view);
      expect(packed.get(view.tick)).toEqual(view);
    }
    expect(all.some((v) => v.projectiles.length > 0)).toBe(true);
    expect(all.some((v) => v.ships[0].respawnTicks > 0 || v.ships[1].respawnTicks > 0)).toBe(true);
  });

  it('holds the last `slots` views: older ones and unknown ticks are not found', () => {
    const all = views(40);
    const packed = new PackedViews(16);
    for (const view of all) packed.put(view);
    for (const [i, view] of all.entries()) {
      const held = i >= all.length - 16;
      expect(packed.has(view.tick)).toBe(held);
      expect(packed.get(view.tick) !== undefined).toBe(held);
    }
    expect(packed.get(0)).toBeUndefined();
    expect(packed.get(10_000)).toBeUndefined();
  });

  it('ignores a view that is not newer than the newest held', () => {
    const [a, b] = views(2) as [SnapshotView, SnapshotView];
    const packed = new PackedViews(4);
    packed.put(b);
    packed.put(a);
    expect(packed.has(a.tick)).toBe(false);
    expect(packed.get(b.tick)).toEqual(b);
  });

  it('gives the same object for the same tick until another is asked for (the encoder caches by identity)', () => {
    const [a, b] = views(2) as [SnapshotView, SnapshotView];
    const packed = new PackedViews(4);
    packed.put(a);
    packed.put(b);
    expect(packed.get(b.tick)).toBe(packed.get(b.tick));
    expect(packed.get(a.tick)).toEqual(a);
  });

  it('holds full lists, and refuses a view over the caps rather than cut it', () => {
    const [view] = views(1) as [SnapshotView];
    const full: SnapshotView = {
      ...view,
      asteroids: Array.from({ length: MAX_ASTEROIDS }, (_, i) => ({
        id: i,
        x: i,
        y: 2 * i,
        vx: -3,
        vy: 4,
        size: 2 as const,
      })),
      projectiles: Array.from({ length: MAX_PROJECTILES }, (_, i) => ({
        id: 100 + i,
        owner: (i % 2) as 0 | 1,
        x: 25_599,
        y: 14_399,
        vx: -300,
        vy: 300,
        ttl: i + 1,
      })),
    };
    const packed = new PackedViews(2);
    packed.put(full);
    expect(packed.get(full.tick)).toEqual(full);
    const over = {
      ...full,
      tick: full.tick + 1,
      asteroids: [...full.asteroids, { id: 999, x: 0, y: 0, vx: 0, vy: 0, size: 0 as const }],
    };
    expect(() => packed.put(over)).toThrow(RangeError);
  });
});

describe('SeatViews', () => {
  it('both seats of a match see each view once put, from one store', () => {
    const [a, b] = views(2) as [SnapshotView, SnapshotView];
    const store = new PackedViews(4);
    const seats = [new SeatViews(store), new SeatViews(store)] as const;
    for (const view of [a, b]) for (const seat of seats) seat.put(view);
    for (const seat of seats) expect(seat.get(a.tick)).toEqual(a);
    expect(seats[0].get(b.tick)).toBe(seats[1].get(b.tick));
  });

  it('a seat made again (a rejoin) sees no view sent before it: no ack of the old connection is a baseline', () => {
    const [a, b, c] = views(3) as [SnapshotView, SnapshotView, SnapshotView];
    const store = new PackedViews(4);
    const stayed = new SeatViews(store);
    stayed.put(a);
    const rejoined = new SeatViews(store);
    expect(rejoined.has(a.tick)).toBe(false);
    for (const view of [b, c]) {
      stayed.put(view);
      rejoined.put(view);
    }
    expect(rejoined.has(a.tick)).toBe(false);
    expect(rejoined.get(a.tick)).toBeUndefined();
    expect(rejoined.get(b.tick)).toEqual(b);
    expect(stayed.get(a.tick)).toEqual(a);
  });
});

describe('snapshots encoded against packed views', () => {
  it('are byte for byte the frames encoded against the view objects themselves', () => {
    const packed = new SeatViews(new PackedViews(16));
    const objects = new ViewHistory(32);
    let deltas = 0;
    for (const [i, view] of views(1_200).entries()) {
      if (view.tick % 2 !== 0) continue;
      // Acks of every age a link gives: the last snapshot, a few back, and too old to hold.
      const ack = i % 50 === 0 ? 0 : view.tick - 2 * (1 + (i % 7)) - (i % 97 === 0 ? 40 : 0);
      const header = { ackInputSeq: i };
      const fromPacked = encodeSnapshot(view, packed.get(ack), header);
      const fromObjects = encodeSnapshot(view, objects.get(ack), header);
      expect(fromPacked).toEqual(fromObjects);
      if (packed.get(ack)) deltas++;
      packed.put(view);
      objects.put(view);
    }
    expect(deltas).toBeGreaterThan(400); // most frames were deltas, not full snapshots
  });
});
