import { Low } from 'lowdb';
import type { z } from 'zod';
import type { JsonLinesFile } from './json-lines-file.ts';
import { formatIssue } from './parse-records.ts';

/**
 * The records of one file, in memory: a lowdb `Low` whose `data` is the array
 * the file holds, in file order, with an index from id to position.
 *
 * Repos keep their own indexes. Their writes are synchronous up to the
 * `await` of `set` or `delete`, so a check (such as "is this domain free?")
 * and the change it guards cannot interleave with another write.
 */
export class Collection<T extends { readonly id: string }> {
  readonly #noun: string;
  readonly #schema: z.ZodType<T>;
  readonly #file: JsonLinesFile<T>;
  readonly #low: Low<T[]>;
  readonly #positions = new Map<string, number>();
  #closed = false;

  /** `noun` names one record in errors; nothing is in memory until `read`. */
  constructor(options: { noun: string; schema: z.ZodType<T>; file: JsonLinesFile<T> }) {
    this.#noun = options.noun;
    this.#schema = options.schema;
    this.#file = options.file;
    this.#low = new Low<T[]>(options.file, []);
  }

  /** Loads the file; rejects with StoreInvalidError if it holds anything but valid records. */
  async read(): Promise<void> {
    await this.#low.read();
    for (const record of this.#low.data) freeze(record);
    this.#reindex();
  }

  get size(): number {
    return this.#low.data.length;
  }

  get(id: string): T | undefined {
    const position = this.#positions.get(id);
    return position === undefined ? undefined : this.#low.data[position];
  }

  values(): ArrayIterator<T> {
    return this.#low.data.values();
  }

  /**
   * Validates a record about to be written and returns the copy to store.
   * An invalid record is a bug in the caller (commands validate what users
   * type), so this throws a plain Error naming the field.
   */
  prepare(input: unknown): T {
    this.#assertOpen();
    const result = this.#schema.safeParse(input);
    if (!result.success) {
      const id = typeof input === 'object' && input !== null && 'id' in input ? String(input.id) : '(no id)';
      const issues = result.error.issues.map(formatIssue).join('; ');
      throw new Error(`Refusing to write an invalid ${this.#noun} ${id}: ${issues}`);
    }
    return freeze(result.data);
  }

  /** Inserts or replaces in memory now; resolves once the file on disk has it. */
  set(record: T): Promise<void> {
    this.#assertOpen();
    const data = this.#low.data;
    const position = this.#positions.get(record.id);
    if (position === undefined) {
      this.#positions.set(record.id, data.length);
      data.push(record);
    } else {
      data[position] = record;
    }
    return this.#low.write();
  }

  delete(ids: readonly string[]): Promise<void> {
    this.#assertOpen();
    const gone = new Set(ids);
    this.#low.data = this.#low.data.filter((record) => !gone.has(record.id));
    this.#reindex();
    return this.#low.write();
  }

  /** Refuses further writes and waits for pending ones. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#file.flush();
  }

  #reindex(): void {
    this.#positions.clear();
    this.#low.data.forEach((record, position) => this.#positions.set(record.id, position));
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`The store is closed; cannot write a ${this.#noun}.`);
  }
}

/** Callers may share what they read but not change it; freezing makes a mistake fail loudly. */
function freeze<T>(record: T): T {
  for (const value of Object.values(record as object)) {
    if (Array.isArray(value)) Object.freeze(value);
  }
  return Object.freeze(record);
}
