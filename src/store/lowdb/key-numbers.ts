import { hashId } from './line-ids.ts';

/** A slot of the table: the key's number + 1 (0 when empty), its hash, and where its characters are. */
const stride = 4;

/**
 * Numbers strings 0, 1, 2… in order of first appearance. A Map does the same,
 * but at a hundred thousand keys each look-up of a freshly parsed string
 * touches three scattered places in the heap (its bucket, its entry, the key
 * to compare with) and costs a microsecond; here a probe reads one slot,
 * which holds the hash and where the key's characters are, and compares
 * characters only when the hashes agree.
 */
export class KeyNumbers {
  /** Open addressing, linear probing, at most half full. */
  #slots = new Int32Array(1024 * stride);
  /** Every key's UTF-16 code units, one after the other. */
  #chars = new Uint16Array(16 * 1024);
  #length = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The number of `key`: a new one, `size - 1`, at its first appearance. */
  number(key: string): number {
    const slots = this.#slots;
    const hash = hashId(key) | 0;
    const mask = slots.length / stride - 1;
    let slot = (hash & mask) * stride;
    for (; slots[slot] !== 0; slot = (slot + stride) & (slots.length - 1)) {
      if (slots[slot + 1] === hash && slots[slot + 3] === key.length && this.#is(slots[slot + 2]!, key)) return slots[slot]! - 1;
    }
    const number = this.#size++;
    slots[slot] = number + 1;
    slots[slot + 1] = hash;
    slots[slot + 2] = this.#append(key);
    slots[slot + 3] = key.length;
    if (2 * this.#size * stride > slots.length) this.#rehash();
    return number;
  }

  #is(start: number, key: string): boolean {
    const chars = this.#chars;
    for (let i = 0; i < key.length; i++) if (chars[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** Stores the key's characters; returns where they start. */
  #append(key: string): number {
    const start = this.#length;
    if (start + key.length > this.#chars.length) {
      const grown = new Uint16Array(Math.max(2 * this.#chars.length, start + key.length));
      grown.set(this.#chars);
      this.#chars = grown;
    }
    for (let i = 0; i < key.length; i++) this.#chars[start + i] = key.charCodeAt(i);
    this.#length += key.length;
    return start;
  }

  #rehash(): void {
    const old = this.#slots;
    const slots = new Int32Array(2 * old.length);
    const mask = slots.length / stride - 1;
    for (let from = 0; from < old.length; from += stride) {
      if (old[from] === 0) continue;
      let to = (old[from + 1]! & mask) * stride;
      while (slots[to] !== 0) to = (to + stride) & (slots.length - 1);
      slots.set(old.subarray(from, from + stride), to);
    }
    this.#slots = slots;
  }
}
