import { hashId } from './line-ids.ts';

/** A slot of the table: the key's number + 1 (0 when empty), its hash, and where its characters are. */
const stride = 4;

/**
 * Numbers strings 0, 1, 2… in order of first appearance, read where they lie
 * in a longer text (a batch of keys posted as one string). A Map would need
 * each as a string of its own, and at a hundred thousand keys each look-up
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

  /** The number of the key `text` holds from `start` to `end`: a new one, `size - 1`, at its first appearance. */
  number(text: string, start = 0, end = text.length): number {
    const slots = this.#slots;
    const hash = hashId(text, start, end) | 0;
    const length = end - start;
    const mask = slots.length / stride - 1;
    let slot = (hash & mask) * stride;
    for (; slots[slot] !== 0; slot = (slot + stride) & (slots.length - 1)) {
      if (slots[slot + 1] === hash && slots[slot + 3] === length && this.#is(slots[slot + 2]!, text, start, end)) return slots[slot]! - 1;
    }
    const number = this.#size++;
    slots[slot] = number + 1;
    slots[slot + 1] = hash;
    slots[slot + 2] = this.#append(text, start, end);
    slots[slot + 3] = length;
    if (2 * this.#size * stride > slots.length) this.#rehash();
    return number;
  }

  #is(at: number, text: string, start: number, end: number): boolean {
    const chars = this.#chars;
    for (let i = start; i < end; i++) if (chars[at + i - start] !== text.charCodeAt(i)) return false;
    return true;
  }

  /** Stores the key's characters; returns where they start. */
  #append(text: string, start: number, end: number): number {
    const at = this.#length;
    const length = end - start;
    if (at + length > this.#chars.length) {
      const grown = new Uint16Array(Math.max(2 * this.#chars.length, at + length));
      grown.set(this.#chars);
      this.#chars = grown;
    }
    for (let i = 0; i < length; i++) this.#chars[at + i] = text.charCodeAt(start + i);
    this.#length += length;
    return at;
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
