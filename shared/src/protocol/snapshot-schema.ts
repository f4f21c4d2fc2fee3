// The fields of each entity on the wire, in groups: a delta sends a group when any of its
// fields differs from what the client can extrapolate. One table drives the encoder, the
// decoder, their range checks and the size bound, so they cannot drift apart.
import {
  FIRE_INTERVAL,
  HEIGHT,
  INVULN_TICKS,
  PROJECTILE_TTL,
  RESPAWN_TICKS,
  START_LIVES,
  WIDTH,
} from '../sim/constants.js';
import type { Reader, Writer } from './wire.js';

type Kind = 'u8' | 'i8' | 'u16' | 'i16' | 'u32';

interface Field {
  readonly key: string;
  readonly kind: Kind;
  readonly min: number;
  readonly max: number;
}

/** Fields sent together, under one bit of the entity's change mask (bit i = group i). */
type Group = readonly Field[];
export type Schema = readonly Group[];

/** Entities seen as plain records of integer fields (all entity fields are integers). */
export type Fields = Readonly<Record<string, number>>;

const SIZE: Record<Kind, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4 };
const FULL_RANGE: Record<Kind, readonly [number, number]> = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffff_ffff],
};

const field = (key: string, kind: Kind, min?: number, max?: number): Field => ({
  key,
  kind,
  min: min ?? FULL_RANGE[kind][0],
  max: max ?? FULL_RANGE[kind][1],
});
const position: Group = [field('x', 'u16', 0, WIDTH - 1), field('y', 'u16', 0, HEIGHT - 1)];

/** Ship (slot implied by its place in the frame); mask bits 0–7 in this order. */
export const SHIP_SCHEMA: Schema = [
  position,
  [field('vx', 'i16'), field('vy', 'i16')],
  [field('heading', 'u8')],
  [field('lives', 'u8', 0, START_LIVES)],
  [field('score', 'u32')],
  [field('invulnTicks', 'u8', 0, INVULN_TICKS)],
  [field('respawnTicks', 'u8', 0, RESPAWN_TICKS)],
  [field('fireCooldown', 'u8', 0, FIRE_INTERVAL)],
];

/** Asteroid (after its u16 id); mask bits 0–2. */
export const ASTEROID_SCHEMA: Schema = [
  position,
  [field('vx', 'i8'), field('vy', 'i8')],
  [field('size', 'u8', 0, 2)],
];

/** Projectile (after its u16 id); mask bits 0–3. */
export const PROJECTILE_SCHEMA: Schema = [
  position,
  [field('vx', 'i16'), field('vy', 'i16')],
  [field('owner', 'u8', 0, 1)],
  [field('ttl', 'u8', 1, PROJECTILE_TTL)],
];

/** Bytes of every field of an entity (an added entity, or all groups of a changed one). */
export const fieldBytes = (schema: Schema): number =>
  schema.flat().reduce((n, f) => n + SIZE[f.kind], 0);

/** The mask bit set for each group whose fields differ between `cur` and `ref`. */
export function changeMask(schema: Schema, cur: Fields, ref: Fields): number {
  // Plain loops: this runs for every entity of every snapshot, for every client.
  let mask = 0;
  for (let bit = 0; bit < schema.length; bit++) {
    for (const f of schema[bit] ?? []) {
      if (cur[f.key] !== ref[f.key]) {
        mask |= 1 << bit;
        break;
      }
    }
  }
  return mask;
}

function writeField(w: Writer, f: Field, v: number | undefined): void {
  if (v === undefined || !Number.isInteger(v) || v < f.min || v > f.max) {
    throw new RangeError(`${f.key} = ${v} is not an integer in [${f.min}, ${f.max}]`);
  }
  w[f.kind](v);
}

/** Writes the fields of the groups in `mask` (every group when mask is all ones). */
export function writeGroups(w: Writer, schema: Schema, mask: number, e: Fields): void {
  schema.forEach((group, bit) => {
    if (mask & (1 << bit)) for (const f of group) writeField(w, f, e[f.key]);
  });
}

export const allGroups = (schema: Schema): number => (1 << schema.length) - 1;

/**
 * Reads the groups in `mask` over a copy of `ref`. A value out of range, a mask bit
 * beyond the schema, or a group equal to `ref` (an encoder never sends one) is malformed.
 */
export function readGroups(
  r: Reader,
  schema: Schema,
  mask: number,
  ref: Fields,
  mustDiffer: boolean,
): Fields {
  if (mask === 0) return ref; // nothing changed: share the reference, copy nothing
  if (mask & ~allGroups(schema)) r.fail();
  const out: Record<string, number> = { ...ref };
  for (let bit = 0; bit < schema.length; bit++) {
    if (mask & (1 << bit)) readGroup(r, schema[bit] ?? [], ref, out, mustDiffer);
  }
  return out;
}

function readGroup(
  r: Reader,
  group: Group,
  ref: Fields,
  out: Record<string, number>,
  mustDiffer: boolean,
) {
  let differs = false;
  for (const f of group) {
    const v = r[f.kind]();
    if (v < f.min || v > f.max) r.fail();
    if (v !== ref[f.key]) differs = true;
    out[f.key] = v;
  }
  if (mustDiffer && !differs) r.fail();
}
