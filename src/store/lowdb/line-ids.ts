/**
 * The ids of a snapshot's lines, and a hash table from id to line, in flat
 * arrays: built by the worker that scans the snapshot and handed to the main
 * thread as they are, where a Map of a million ids would take most of a
 * second to build, and its keys and entries tens of megabytes.
 */
export interface LineIdParts {
  /** Every id, one after the other; line `n`'s runs to `ends[n]`, from `ends[n - 1]` (or 0). */
  readonly text: string;
  readonly ends: Int32Array;
  /** Open addressing, linear probing: a slot holds a line number + 1, or 0 when empty. */
  readonly slots: Int32Array;
}

export class LineIds {
  readonly #text: string;
  readonly #ends: Int32Array;
  readonly #slots: Int32Array;

  constructor(parts: LineIdParts) {
    this.#text = parts.text;
    this.#ends = parts.ends;
    this.#slots = parts.slots;
  }

  get count(): number {
    return this.#ends.length;
  }

  /** Line `n`'s id. */
  id(n: number): string {
    return this.#text.slice(n === 0 ? 0 : this.#ends[n - 1], this.#ends[n]);
  }

  /** The line holding `id`, or -1. */
  line(id: string): number {
    const mask = this.#slots.length - 1;
    for (let slot = hashId(id) & mask; ; slot = (slot + 1) & mask) {
      const held = this.#slots[slot]!;
      if (held === 0) return -1;
      if (this.#is(held - 1, id)) return held - 1;
    }
  }

  #is(n: number, id: string): boolean {
    const start = n === 0 ? 0 : this.#ends[n - 1]!;
    return this.#ends[n]! - start === id.length && this.#text.startsWith(id, start);
  }

  /** The parts for `ids`, one per line; null if two lines share an id. */
  static build(ids: readonly string[]): LineIdParts | null {
    const ends = new Int32Array(ids.length);
    let end = 0;
    ids.forEach((id, n) => (ends[n] = end += id.length));
    const parts = { text: ids.join(''), ends, slots: new Int32Array(tableSize(ids.length)) };
    const table = new LineIds(parts);
    const mask = parts.slots.length - 1;
    for (let n = 0; n < ids.length; n++) {
      let slot = hashId(ids[n]!) & mask;
      for (; parts.slots[slot] !== 0; slot = (slot + 1) & mask) if (table.#is(parts.slots[slot]! - 1, ids[n]!)) return null;
      parts.slots[slot] = n + 1;
    }
    return parts;
  }
}

/** At most half full, so probes stay short. */
function tableSize(count: number): number {
  let size = 16;
  while (size < 2 * count) size *= 2;
  return size;
}

/** FNV-1a over the UTF-16 code units. */
function hashId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
