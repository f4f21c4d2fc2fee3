// The views a match sent, kept as delta baselines in typed arrays allocated once per match.
// Held as objects, each view pinned a whole state of the match (its ships, asteroids and
// projectiles) for half a second: every young-generation collection copied them all and
// promoted them, so the garbage collector's work grew with the number of matches
// (docs/performance.md, "Round 8 of issue 14"). Packed, a view is numbers in memory the
// collector never copies; get() rebuilds objects that live only for one encode. Both seats
// are sent the same view on the same tick, so the match keeps one store and each seat sees
// the views sent since it (re)joined.
import { MAX_ASTEROIDS, MAX_PROJECTILES } from '../../../shared/src/sim/constants.js';
import type { Asteroid, Projectile, Ship } from '../../../shared/src/sim/types.js';
import type { SnapshotView } from '../../../shared/src/protocol/index.js';

const SHIP_INTS = 11;
const ASTEROID_INTS = 6;
const PROJECTILE_INTS = 7;
/** tick, two ships, then each list's length and its entities. */
const SLOT_INTS =
  1 + 2 * SHIP_INTS + 1 + MAX_ASTEROIDS * ASTEROID_INTS + 1 + MAX_PROJECTILES * PROJECTILE_INTS;

/** The views one seat was sent (SnapshotSeat.history). */
export interface Baselines {
  /** Keeps a view (a view at or before the newest one kept is ignored). */
  put(view: SnapshotView): void;
  /** The view of exactly this tick, if still held. */
  get(tick: number): SnapshotView | undefined;
  /** Whether get(tick) would find it. */
  has(tick: number): boolean;
}

export class PackedViews implements Baselines {
  private readonly ints: Int32Array;
  /** Tick held by each slot (0: empty; views of tick 0 are never baselines). */
  private readonly ticks: Float64Array;
  private next = 0;
  private newest = 0;
  // get() of the same tick gives the same object: the encoder caches by identity.
  private unpacked: SnapshotView | undefined;

  /** Keeps the last `slots` views put (16 at 30 snapshots a second: 533 ms). */
  constructor(private readonly slots: number) {
    this.ints = new Int32Array(slots * SLOT_INTS);
    this.ticks = new Float64Array(slots);
  }

  put(view: SnapshotView): void {
    if (view.tick <= this.newest) return;
    if (view.asteroids.length > MAX_ASTEROIDS || view.projectiles.length > MAX_PROJECTILES)
      throw new RangeError('view over the entity caps'); // the simulation never makes one
    const slot = this.next;
    this.next = (slot + 1) % this.slots;
    this.ticks[slot] = view.tick;
    this.newest = view.tick;
    const a = this.ints;
    let i = slot * SLOT_INTS;
    a[i++] = view.tick;
    for (const s of view.ships) {
      a[i++] = s.id;
      a[i++] = s.x;
      a[i++] = s.y;
      a[i++] = s.vx;
      a[i++] = s.vy;
      a[i++] = s.heading;
      a[i++] = s.lives;
      a[i++] = s.score;
      a[i++] = s.invulnTicks;
      a[i++] = s.respawnTicks;
      a[i++] = s.fireCooldown;
    }
    a[i++] = view.asteroids.length;
    for (const r of view.asteroids) {
      a[i++] = r.id;
      a[i++] = r.x;
      a[i++] = r.y;
      a[i++] = r.vx;
      a[i++] = r.vy;
      a[i++] = r.size;
    }
    a[i++] = view.projectiles.length;
    for (const p of view.projectiles) {
      a[i++] = p.id;
      a[i++] = p.owner;
      a[i++] = p.x;
      a[i++] = p.y;
      a[i++] = p.vx;
      a[i++] = p.vy;
      a[i++] = p.ttl;
    }
  }

  has(tick: number): boolean {
    return tick > 0 && this.ticks.indexOf(tick) >= 0;
  }

  get(tick: number): SnapshotView | undefined {
    const slot = tick > 0 ? this.ticks.indexOf(tick) : -1;
    if (slot < 0) return undefined;
    if (this.unpacked?.tick !== tick) this.unpacked = this.unpack(slot * SLOT_INTS);
    return this.unpacked;
  }

  private unpack(at: number): SnapshotView {
    const a = this.ints;
    let i = at + 1;
    const ship = (): Ship => ({
      id: a[i++] as 0 | 1,
      x: a[i++] ?? 0,
      y: a[i++] ?? 0,
      vx: a[i++] ?? 0,
      vy: a[i++] ?? 0,
      heading: a[i++] ?? 0,
      lives: a[i++] ?? 0,
      score: a[i++] ?? 0,
      invulnTicks: a[i++] ?? 0,
      respawnTicks: a[i++] ?? 0,
      fireCooldown: a[i++] ?? 0,
    });
    const ships: [Ship, Ship] = [ship(), ship()];
    const asteroids: Asteroid[] = [];
    for (let n = a[i++] ?? 0; n > 0; n--) {
      asteroids.push({
        id: a[i++] ?? 0,
        x: a[i++] ?? 0,
        y: a[i++] ?? 0,
        vx: a[i++] ?? 0,
        vy: a[i++] ?? 0,
        size: (a[i++] ?? 0) as Asteroid['size'],
      });
    }
    const projectiles: Projectile[] = [];
    for (let n = a[i++] ?? 0; n > 0; n--) {
      projectiles.push({
        id: a[i++] ?? 0,
        owner: (a[i++] ?? 0) as 0 | 1,
        x: a[i++] ?? 0,
        y: a[i++] ?? 0,
        vx: a[i++] ?? 0,
        vy: a[i++] ?? 0,
        ttl: a[i++] ?? 0,
      });
    }
    return { tick: a[at] ?? 0, ships, asteroids, projectiles };
  }
}

/** One seat's window on its match's store: the views put through it, from the first one. */
export class SeatViews implements Baselines {
  private since = 0;

  constructor(private readonly store: PackedViews) {}

  put(view: SnapshotView): void {
    this.store.put(view); // the other seat's put of the same view is ignored
    if (this.since === 0) this.since = view.tick;
  }

  has(tick: number): boolean {
    return this.sentSince(tick) && this.store.has(tick);
  }

  get(tick: number): SnapshotView | undefined {
    return this.sentSince(tick) ? this.store.get(tick) : undefined;
  }

  private sentSince(tick: number): boolean {
    return this.since > 0 && tick >= this.since;
  }
}
