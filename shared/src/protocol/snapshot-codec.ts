// snapshot (state code 65): the game as one client sees it, delta-encoded against a view
// the client has acknowledged (Quake 3 style), or in full. The reference a delta is taken
// against is the baseline extrapolated to this tick (snapshot-view.ts): asteroids and
// projectiles that just kept flying cost nothing. Byte layout: docs/protocol.md.
import { MAX_ASTEROIDS, MAX_PROJECTILES } from '../sim/constants.js';
import type { Asteroid, Projectile, Ship } from '../sim/types.js';
import { StateCode, type Slot } from './codes.js';
import { malformed, unknownBaseline, unknownCode, type DecodeResult } from './result.js';
import {
  ASTEROID_SCHEMA,
  changeMask,
  fieldBytes,
  PROJECTILE_SCHEMA,
  readGroups,
  SHIP_SCHEMA,
  writeGroups,
  type Fields,
  type Schema,
} from './snapshot-schema.js';
import { readList, writeList, type Entity } from './snapshot-lists.js';
import { EMPTY_VIEW, extrapolate, type SnapshotView } from './snapshot-view.js';
import { Reader, Writer } from './wire.js';

/** snapshot.flags bits 0–3. */
export const SNAPSHOT_VERSION = 1;
const VERSION_MASK = 0x0f;
const HAS_ASTEROIDS = 0x10;
const HAS_PROJECTILES = 0x20;
const FLAG_MASK = VERSION_MASK | HAS_ASTEROIDS | HAS_PROJECTILES;
/** A baseline older than this many ticks cannot be named (u8): the frame goes out in full. */
export const MAX_BASELINE_AGE = 0xff;

export interface Snapshot {
  readonly type: 'snapshot';
  readonly view: SnapshotView;
  /** The tick of the view this frame was a delta against; 0 for a full snapshot. */
  readonly baselineTick: number;
  /** The last input seq the server applied for this player (0 before the first). */
  readonly ackInputSeq: number;
}

export interface SnapshotHeader {
  readonly ackInputSeq: number;
}

// code, flags, tick, baseline age, ackInputSeq
const HEADER_BYTES = 1 + 1 + 4 + 1 + 4;

/** The longest list section: three counts, then every entity removed and replaced, or all changed. */
function listBound(schema: Schema, cap: number): number {
  const changed = 2 + 1 + fieldBytes(schema);
  const replaced = 2 + (2 + fieldBytes(schema));
  return 3 + cap * Math.max(changed, replaced);
}

/** The largest snapshot frame there can be (717 bytes): every datagram fits in 1200. */
export const MAX_SNAPSHOT_BYTES =
  HEADER_BYTES +
  2 * (1 + fieldBytes(SHIP_SCHEMA)) +
  listBound(ASTEROID_SCHEMA, MAX_ASTEROIDS) +
  listBound(PROJECTILE_SCHEMA, MAX_PROJECTILES);

// One buffer for every encode: encoding is synchronous, and the result is a copy.
const scratch = new Writer(MAX_SNAPSHOT_BYTES);

// Entities are records of integer fields to the schema-driven code: casts, never copies.
const asFields = (e: Ship): Fields => e as unknown as Fields;
const asEntities = (list: readonly (Asteroid | Projectile)[]) =>
  list as unknown as readonly Entity[];

function checkList(list: readonly { id: number }[], cap: number, what: string): void {
  if (list.length > cap) throw new RangeError(`${list.length} ${what} (max ${cap})`);
  list.forEach((e, i) => {
    if (i > 0 && e.id <= (list[i - 1]?.id ?? -1)) throw new RangeError(`${what} not sorted by id`);
  });
}

function writeShip(w: Writer, ship: Ship, ref: Ship, slot: Slot): void {
  if (ship.id !== slot) throw new RangeError(`ship ${slot} has id ${ship.id}`);
  const mask = changeMask(SHIP_SCHEMA, asFields(ship), asFields(ref));
  writeGroups(w.u8(mask), SHIP_SCHEMA, mask, asFields(ship));
}

/**
 * Ticks back to the baseline, or 0 for a full snapshot: no baseline, a baseline at tick 0,
 * one not older than the view (a client can claim any ack), or one too old to name.
 */
function baselineAge(current: SnapshotView, baseline: SnapshotView | undefined): number {
  if (!baseline || baseline.tick === 0) return 0;
  const age = current.tick - baseline.tick;
  return age < 1 || age > MAX_BASELINE_AGE ? 0 : age;
}

// The server encodes one view for each client, most often against the same acknowledged
// baseline: extrapolate it once. Views are immutable, so identity is a safe cache key.
let cached: { baseline: SnapshotView; age: number; ref: SnapshotView } | undefined;

function referenceFor(baseline: SnapshotView, age: number): SnapshotView {
  if (cached?.baseline !== baseline || cached.age !== age) {
    cached = { baseline, age, ref: extrapolate(baseline, age) };
  }
  return cached.ref;
}

/**
 * The snapshot frame of `current` for one client: a delta against `baseline` (the newest
 * view that client acknowledged), or a full snapshot when there is none, or it is at tick
 * 0, not older than `current`, or more than MAX_BASELINE_AGE ticks old. Throws RangeError
 * on an invalid view (a bug of the caller, never of the network).
 */
export function encodeSnapshot(
  current: SnapshotView,
  baseline: SnapshotView | undefined,
  header: SnapshotHeader,
): Uint8Array {
  checkList(current.asteroids, MAX_ASTEROIDS, 'asteroids');
  checkList(current.projectiles, MAX_PROJECTILES, 'projectiles');
  const age = baselineAge(current, baseline);
  const ref = age === 0 || !baseline ? EMPTY_VIEW : referenceFor(baseline, age);
  const w = scratch.reset().u8(StateCode.snapshot).u8(SNAPSHOT_VERSION);
  w.u32(current.tick).u8(age).u32(header.ackInputSeq);
  writeShip(w, current.ships[0], ref.ships[0], 0);
  writeShip(w, current.ships[1], ref.ships[1], 1);
  let flags = SNAPSHOT_VERSION;
  if (writeList(w, ASTEROID_SCHEMA, asEntities(current.asteroids), asEntities(ref.asteroids))) {
    flags |= HAS_ASTEROIDS;
  }
  if (
    writeList(w, PROJECTILE_SCHEMA, asEntities(current.projectiles), asEntities(ref.projectiles))
  ) {
    flags |= HAS_PROJECTILES;
  }
  w.setU8(1, flags); // the flags byte says which list sections follow
  return w.copy();
}

function readShip(r: Reader, ref: Ship): Ship {
  return readGroups(r, SHIP_SCHEMA, r.u8(), asFields(ref), true) as unknown as Ship;
}

/** A view provider for a client that keeps no views: only full snapshots decode. */
const noBaseline = (): undefined => undefined;

/**
 * Decodes a snapshot frame. A delta is applied to `baselineFor(baselineTick)`; when that
 * view is unknown the result is `unknown_baseline` (keep waiting: the server sends deltas
 * only against views this client acknowledged, and a full frame when it has no ack).
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  baselineFor: (tick: number) => SnapshotView | undefined = noBaseline,
): DecodeResult<Snapshot> {
  if (bytes.length === 0) return malformed;
  if (bytes[0] !== StateCode.snapshot) return unknownCode(bytes[0] ?? 0);
  const r = new Reader(bytes);
  r.u8();
  const flags = r.u8();
  const tick = r.u32();
  const age = r.u8();
  const ackInputSeq = r.u32();
  if (!r.good || (flags & VERSION_MASK) !== SNAPSHOT_VERSION || flags & ~FLAG_MASK)
    return malformed;
  const baselineTick = age === 0 ? 0 : tick - age;
  if (age > 0 && baselineTick < 1) return malformed;
  const baseline = age === 0 ? EMPTY_VIEW : baselineFor(baselineTick);
  if (!baseline || (age > 0 && baseline.tick !== baselineTick)) return unknownBaseline;
  const ref = age === 0 ? EMPTY_VIEW : extrapolate(baseline, age);
  const ships: [Ship, Ship] = [readShip(r, ref.ships[0]), readShip(r, ref.ships[1])];
  const list = (
    flag: number,
    schema: Schema,
    l: readonly (Asteroid | Projectile)[],
    cap: number,
  ) => (flags & flag ? readList(r, schema, asEntities(l), cap) : asEntities(l));
  const asteroids = list(HAS_ASTEROIDS, ASTEROID_SCHEMA, ref.asteroids, MAX_ASTEROIDS);
  const projectiles = list(HAS_PROJECTILES, PROJECTILE_SCHEMA, ref.projectiles, MAX_PROJECTILES);
  if (!r.ok) return malformed;
  // The schema's ranges make every decoded record a valid entity of its kind.
  const view: SnapshotView = {
    tick,
    ships,
    asteroids: asteroids as unknown as readonly Asteroid[],
    projectiles: projectiles as unknown as readonly Projectile[],
  };
  return { ok: true, msg: { type: 'snapshot', view, baselineTick, ackInputSeq } };
}
