// The entity lists of a snapshot (asteroids, projectiles): what went, what changed and
// what came, relative to the extrapolated baseline. Lists are sorted by id on both ends,
// so one merge walk compares them, and the decoder rebuilds the same order.
import {
  allGroups,
  changeMask,
  readGroups,
  writeGroups,
  type Fields,
  type Schema,
} from './snapshot-schema.js';
import type { Reader, Writer } from './wire.js';

export type Entity = Fields & { readonly id: number };

interface ListDiff {
  readonly removed: number[];
  readonly changed: { readonly e: Entity; readonly mask: number }[];
  readonly added: Entity[];
}

/** Both lists are sorted by id: one merge walk finds what went, changed and came. */
function diffList(schema: Schema, cur: readonly Entity[], ref: readonly Entity[]): ListDiff {
  const diff: ListDiff = { removed: [], changed: [], added: [] };
  let i = 0;
  let j = 0;
  while (i < cur.length || j < ref.length) {
    const c = cur[i];
    const p = ref[j];
    if (p && (!c || p.id < c.id)) {
      diff.removed.push(p.id);
      j++;
    } else if (c && (!p || c.id < p.id)) {
      diff.added.push(c);
      i++;
    } else if (c && p) {
      const mask = changeMask(schema, c, p);
      if (mask) diff.changed.push({ e: c, mask });
      i++;
      j++;
    }
  }
  return diff;
}

/** Writes a list section; returns false (writing nothing) when nothing is new. */
export function writeList(
  w: Writer,
  schema: Schema,
  cur: readonly Entity[],
  ref: readonly Entity[],
) {
  const { removed, changed, added } = diffList(schema, cur, ref);
  if (removed.length + changed.length + added.length === 0) return false;
  w.u8(removed.length);
  for (const id of removed) w.u16(id);
  w.u8(changed.length);
  for (const { e, mask } of changed) writeGroups(w.u16(e.id).u8(mask), schema, mask, e);
  w.u8(added.length);
  for (const e of added) writeGroups(w.u16(e.id), schema, allGroups(schema), e);
  return true;
}

/** Merges two lists sorted by id (survivors of the baseline, then new arrivals). */
function mergeById(a: readonly Entity[], b: readonly Entity[]): Entity[] {
  const out: Entity[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x && (!y || x.id < y.id)) {
      out.push(x);
      i++;
    } else if (y) {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** Reads `count` ids in strictly ascending order, each passing `ok`. */
function readIds(r: Reader, ok: (id: number) => boolean, each: (id: number) => void): number {
  const count = r.u8();
  let last = -1;
  for (let k = 0; k < count && r.good; k++) {
    const id = r.u16();
    if (id <= last || !ok(id)) r.fail();
    else each(id);
    last = id;
  }
  return count;
}

/** Reads a list section over the extrapolated baseline list `ref`. */
export function readList(r: Reader, schema: Schema, ref: readonly Entity[], cap: number): Entity[] {
  const at = new Map(ref.map((e, i) => [e.id, i]));
  const kept: (Entity | undefined)[] = [...ref];
  const present = (id: number) => kept[at.get(id) ?? -1] !== undefined;
  const removed = readIds(r, present, (id) => (kept[at.get(id) ?? -1] = undefined));
  const changed = readIds(r, present, (id) => {
    const i = at.get(id) ?? -1;
    const mask = r.u8();
    if (mask === 0) r.fail();
    kept[i] = readGroups(r, schema, mask, kept[i] ?? { id }, true) as Entity;
  });
  const survivors = kept.filter((e): e is Entity => e !== undefined);
  const added: Entity[] = [];
  // An id of the baseline is never added back: the encoder sends that as a change.
  const count = readIds(
    r,
    (id) => !at.has(id),
    (id) => added.push(readGroups(r, schema, allGroups(schema), { id }, false) as Entity),
  );
  // A section is present only with news, and the result must respect the cap.
  if (removed + changed + count === 0 || survivors.length + added.length > cap) r.fail();
  return mergeById(survivors, added);
}
