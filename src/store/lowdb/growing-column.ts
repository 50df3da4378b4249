/**
 * Numbers appended one by one into a typed array that doubles as it fills:
 * at a million entries a plain array of numbers costs several times the
 * memory, and is copied again when it is handed to another thread.
 */
export class GrowingColumn<A extends Int32Array | Float64Array> {
  #array: A;
  #length = 0;
  readonly #make: (capacity: number) => A;

  constructor(make: (capacity: number) => A) {
    this.#make = make;
    this.#array = make(1024);
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#array.length) this.#reserve(this.#length + 1);
    this.#array[this.#length++] = value;
  }

  /** Writes `values` from position `at`, growing as needed. */
  setAt(at: number, values: ArrayLike<number>): void {
    this.#reserve(at + values.length);
    this.#array.set(values, at);
    this.#length = Math.max(this.#length, at + values.length);
  }

  /** The values so far, in an array of their own (the column may go on growing). */
  take(): A {
    return this.#array.slice(0, this.#length) as A;
  }

  /** The values so far, sharing the column's memory. */
  view(): A {
    return this.#array.subarray(0, this.#length) as A;
  }

  #reserve(capacity: number): void {
    if (capacity <= this.#array.length) return;
    let size = this.#array.length * 2;
    while (size < capacity) size *= 2;
    const grown = this.#make(size);
    grown.set(this.#array.subarray(0, this.#length));
    this.#array = grown;
  }
}
