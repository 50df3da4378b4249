import { GrowingColumn } from './growing-column.ts';

/**
 * The ids of a snapshot's lines, and a hash table from id to line, in flat
 * arrays (see LineIdsBuilder), where a Map of a million ids would take most
 * of a second to build, and its keys and entries tens of megabytes.
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
}

/**
 * Builds the parts of LineIds from ids arriving in line order a batch at a
 * time, as the worker scanning a snapshot posts them (each batch's ids as one
 * string, cheap to hand over), so that the table is built here while that
 * thread goes on reading.
 */
export class LineIdsBuilder {
  readonly #texts: string[] = [];
  /** Where each text starts in the whole. */
  readonly #textStarts: number[] = [];
  readonly #ends = new GrowingColumn((n) => new Int32Array(n));
  /** Each line's hash, to grow the table without hashing again. */
  readonly #hashes = new GrowingColumn((n) => new Int32Array(n));
  #slots = new Int32Array(16);
  #length = 0;
  #duplicate = false;

  /** The next lines' ids: `text`, line `i` of the batch ending at `ends[i]`. */
  add(text: string, ends: Int32Array): void {
    const base = this.#length;
    this.#texts.push(text);
    this.#textStarts.push(base);
    this.#length += text.length;
    let start = 0;
    for (const end of ends) {
      const n = this.#ends.length;
      const hash = hashId(text, start, end) | 0;
      this.#ends.push(base + end);
      this.#hashes.push(hash);
      if (2 * (n + 1) > this.#slots.length) this.#grow();
      this.#insert(n, hash, text, start, end);
      start = end;
    }
  }

  /** The parts; null if two lines share an id. */
  finish(): LineIdParts | null {
    if (this.#duplicate) return null;
    return { text: this.#texts.join(''), ends: this.#ends.take(), slots: this.#slots };
  }

  #insert(n: number, hash: number, text: string, start: number, end: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const hashes = this.#hashes.view();
    let slot = hash & mask;
    for (; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const held = slots[slot]! - 1;
      if (hashes[held] === hash && this.#idOf(held) === text.slice(start, end)) this.#duplicate = true;
    }
    slots[slot] = n + 1;
  }

  #grow(): void {
    this.#slots = new Int32Array(tableSize(this.#slots.length));
    const mask = this.#slots.length - 1;
    const hashes = this.#hashes.view();
    for (let n = 0; n < this.#ends.length - 1; n++) {
      let slot = hashes[n]! & mask;
      while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
      this.#slots[slot] = n + 1;
    }
  }

  /** Line `n`'s id, from the batch that holds it: only asked when two hashes agree. */
  #idOf(n: number): string {
    const ends = this.#ends.view();
    const start = n === 0 ? 0 : ends[n - 1]!;
    let batch = this.#textStarts.length - 1;
    while (this.#textStarts[batch]! > start) batch--;
    const base = this.#textStarts[batch]!;
    return this.#texts[batch]!.slice(start - base, ends[n]! - base);
  }
}

/** At most half full, so probes stay short. */
function tableSize(count: number): number {
  let size = 16;
  while (size < 2 * count) size *= 2;
  return size;
}

/** FNV-1a over the UTF-16 code units of `text` from `start` to `end`. */
export function hashId(text: string, start = 0, end = text.length): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
