import type { SnapshotIndexWriter } from './json-lines-file.ts';
import type { SnapshotLines } from './snapshot-lines.ts';

/** What a collection holds its records in: a Map by id, or LineRecords. Both keep file order. */
export interface RecordMap<T> {
  readonly size: number;
  get(id: string): T | undefined;
  has(id: string): boolean;
  set(id: string, record: T): unknown;
  delete(id: string): boolean;
  /** In file order: a replaced record where it was, a new one last. */
  values(): Iterable<T>;
}

/**
 * The records of a collection whose snapshot is kept as its lines (see
 * SnapshotLines), with the changes made since, in the order a Map of them all
 * would have: a line replaced keeps its place, a line deleted is skipped, and
 * a record put anew (or put again after its deletion) goes last.
 */
export class LineRecords<T extends { readonly id: string }> implements RecordMap<T> {
  readonly lines: SnapshotLines<T>;
  /** Lines replaced (by a record) or deleted (null) since the snapshot was read. */
  readonly #replaced = new Map<number, T | null>();
  /** Records not on a line, in the order they were put. */
  readonly #added = new Map<string, T>();
  #deleted = 0;

  constructor(lines: SnapshotLines<T>) {
    this.lines = lines;
  }

  get size(): number {
    return this.lines.count - this.#deleted + this.#added.size;
  }

  get(id: string): T | undefined {
    const added = this.#added.get(id);
    if (added) return added;
    const line = this.#liveLine(id);
    return line < 0 ? undefined : (this.#replaced.get(line) ?? this.lines.record(line));
  }

  has(id: string): boolean {
    return this.#added.has(id) || this.#liveLine(id) >= 0;
  }

  set(id: string, record: T): void {
    const line = this.#added.has(id) ? -1 : this.#liveLine(id);
    if (line < 0) this.#added.set(id, record);
    else this.#replaced.set(line, record);
  }

  delete(id: string): boolean {
    if (this.#added.delete(id)) return true;
    const line = this.#liveLine(id);
    if (line < 0) return false;
    this.#replaced.set(line, null);
    this.#deleted++;
    return true;
  }

  /** True while line `n` still holds the record with its id. */
  isCurrent(line: number): boolean {
    return !this.#replaced.has(line);
  }

  *values(): Generator<T> {
    for (const [line, record] of this.#entries()) yield record ?? this.lines.record(line);
  }

  /**
   * Each record's JSON, in file order, each told to `index` as it goes: a
   * record put since as a string, and lines as the file's bytes, up to
   * `runMax` at once where they follow one another in it (joined by `,\n` and
   * two spaces, as the file joins records). A large snapshot is thus mostly
   * copied, neither decoded nor stringified again.
   */
  *pieces(index: SnapshotIndexWriter<T> | null = null, runMax = 2000): Generator<string | Buffer> {
    // Lines `from` up to `to` (excluded), not yet given.
    let from = -1;
    let to = -1;
    for (const [line, record] of this.#entries()) {
      if (record) {
        if (from >= 0) yield this.lines.bytes(from, to);
        from = to = -1;
        const text = JSON.stringify(record);
        index?.record(record, Buffer.byteLength(text));
        yield text;
        continue;
      }
      index?.line(line, this.lines.jsonBytes(line));
      if (line === to && to - from < runMax && this.lines.follows(line)) {
        to++;
        continue;
      }
      if (from >= 0) yield this.lines.bytes(from, to);
      from = line;
      to = line + 1;
    }
    if (from >= 0) yield this.lines.bytes(from, to);
  }

  /** The records held as objects: those put since the snapshot was read. */
  *objects(): Generator<T> {
    for (const record of this.#replaced.values()) if (record) yield record;
    yield* this.#added.values();
  }

  /** A copy to write from while writes go on: the lines never change, so copying the changes is enough. */
  copy(): LineRecords<T> {
    const copy = new LineRecords<T>(this.lines);
    for (const [line, record] of this.#replaced) copy.#replaced.set(line, record);
    for (const [id, record] of this.#added) copy.#added.set(id, record);
    copy.#deleted = this.#deleted;
    return copy;
  }

  /** Every record as [line, null] (as read) or [line or -1, record]; deleted lines left out. */
  *#entries(): Generator<[number, T | null]> {
    for (let line = 0; line < this.lines.count; line++) {
      const replaced = this.#replaced.get(line);
      if (replaced !== null) yield [line, replaced ?? null];
    }
    for (const record of this.#added.values()) yield [-1, record];
  }

  /** The line holding the record with `id`, unless it was deleted; -1 if none. */
  #liveLine(id: string): number {
    const line = this.lines.ids.line(id);
    return line >= 0 && this.#replaced.get(line) !== null ? line : -1;
  }
}
