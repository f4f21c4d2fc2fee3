// Entity ids are u16 so snapshots can name entities cheaply. A match hands out a few
// thousand at most, so wrapping never happens in practice; when it does, ids still in
// use are skipped and lists stay sorted, which the snapshot codec relies on.

export const ID_LIMIT = 0x1_0000;

interface HasId {
  readonly id: number;
}

/** The first id at or after `next` that no live entity holds. */
export function freeId(next: number, live: readonly HasId[]): number {
  let id = next % ID_LIMIT;
  while (live.some((e) => e.id === id)) id = (id + 1) % ID_LIMIT;
  return id;
}

/** Inserts into a list sorted by id (a fresh list owned by the caller). */
export function insertById<T extends HasId>(list: T[], item: T): void {
  let at = list.length;
  while (at > 0 && (list[at - 1]?.id ?? -1) > item.id) at--;
  list.splice(at, 0, item);
}
