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

  /** Each record's JSON: a line as the file had it, anything newer stringified; each told to `index` as it goes. */
  *texts(index: SnapshotIndexWriter<T> | null = null): Generator<string> {
    for (const [line, record] of this.#entries()) {
      const text = record ? JSON.stringify(record) : this.lines.text(line);
      if (index && record) index.record(record, Buffer.byteLength(text));
      else if (index) index.line(line, this.lines.jsonBytes(line));
      yield text;
    }
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
