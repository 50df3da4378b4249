import type { z } from 'zod';
import { formatIssue } from './read-record-file.ts';
import { RecordFile } from './record-file.ts';

/**
 * The records of one file, by id, in memory, each also kept as its line of
 * JSON so that a write re-serialises only what changed.
 *
 * Repos keep their own indexes. Their writes are synchronous up to the
 * `await` of `set` or `delete`, so a check (such as "is this domain free?")
 * and the change it guards cannot interleave with another write.
 */
export class Collection<T extends { readonly id: string }> {
  readonly #noun: string;
  readonly #schema: z.ZodType<T>;
  readonly #records = new Map<string, T>();
  readonly #lines = new Map<string, string>();
  readonly #file: RecordFile;
  #closed = false;

  /** `records` are already valid (see readRecordFile); `noun` names one record in errors. */
  constructor(options: { path: string; noun: string; schema: z.ZodType<T>; records: readonly T[] }) {
    this.#noun = options.noun;
    this.#schema = options.schema;
    this.#file = new RecordFile(options.path, () => Array.from(this.#lines.values()));
    for (const record of options.records) this.#keep(freeze(record));
  }

  get size(): number {
    return this.#records.size;
  }

  get(id: string): T | undefined {
    return this.#records.get(id);
  }

  values(): MapIterator<T> {
    return this.#records.values();
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
    this.#keep(record);
    return this.#file.save();
  }

  delete(ids: readonly string[]): Promise<void> {
    this.#assertOpen();
    for (const id of ids) {
      this.#records.delete(id);
      this.#lines.delete(id);
    }
    return this.#file.save();
  }

  /** Refuses further writes and waits for pending ones. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#file.flush();
  }

  #keep(record: T): void {
    this.#records.set(record.id, record);
    this.#lines.set(record.id, JSON.stringify(record));
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
