import type { z } from 'zod';
import { StoreInvalidError } from '../../errors.ts';
import { compileFastCheck } from './fast-check.ts';

/** A value that no two records of a file may share, such as a customer's domain. */
export interface UniqueKey<T> {
  readonly label: string;
  keys(record: T): readonly string[];
}

/** Enough to fix a file by hand without burying the first problems under thousands. */
const maxProblemsPerFile = 20;

export type RecordParser<T> = (raw: unknown) => z.ZodSafeParseResult<T>;

/**
 * Validates a record read from a file. A record exactly as the store writes
 * it is proved valid by a compiled check and kept as parsed; anything else
 * goes through zod, whose copy is kept and whose issues name the problem, so
 * what is kept and what is reported are zod's either way.
 */
export function recordParser<T>(schema: z.ZodType<T>): RecordParser<T> {
  const fast = compileFastCheck(schema);
  return (raw) => (fast(raw) ? { success: true, data: raw as T } : schema.safeParse(raw));
}

/** Keeps one copy of strings that recur across records, such as the member ids on every interaction. */
export type Interner = (value: string) => string;

export function interner(): Interner {
  const known = new Map<string, string>();
  return (value) => {
    const found = known.get(value);
    if (found !== undefined) return found;
    known.set(value, value);
    return value;
  };
}

const noItems: readonly never[] = Object.freeze([]);

/**
 * The records of one collection's snapshot at `path`, validated as they are
 * read: `add` them in file order, then `finish` returns them by id, in that
 * order, or throws StoreInvalidError with a sentence per problem, naming the
 * file, the record and what is wrong. Records are numbered from 0, as in the
 * JSON array (`jq '.[3]'`).
 */
export class SnapshotRecords<T extends { id: string }> {
  readonly #path: string;
  readonly #parse: RecordParser<T>;
  readonly #unique: UniqueKey<T> | undefined;
  readonly #repeated: readonly (keyof T & string)[];
  readonly #intern: Interner;
  readonly #records = new Map<string, T>();
  readonly #owners = new Map<string, T>();
  readonly #problems: string[] = [];
  #unlisted = 0;
  /** Positions of the records left out (invalid, or an id used before), to number the others. */
  readonly #left: number[] = [];
  #index = 0;

  constructor(path: string, options: { parse: RecordParser<T>; unique?: UniqueKey<T> | undefined; repeated?: readonly (keyof T & string)[]; intern?: Interner }) {
    this.#path = path;
    this.#parse = options.parse;
    this.#unique = options.unique;
    this.#repeated = options.repeated ?? [];
    this.#intern = options.intern ?? interner();
  }

  add(raw: unknown): void {
    const index = this.#index++;
    const result = this.#parse(raw);
    if (!result.success) {
      this.#left.push(index);
      for (const issue of result.error.issues) this.#problem(() => `${this.#label(index, raw)}: ${formatIssue(issue)}`);
      return;
    }
    const record = result.data;
    if (this.#records.has(record.id)) {
      this.#left.push(index);
      this.#problem(() => `${this.#label(index, raw)}: the id is already used by record ${this.#indexOf(record.id)}`);
      return;
    }
    this.#share(record);
    this.#records.set(record.id, record);
    if (this.#unique) this.#claim(this.#unique, record, index, raw);
  }

  #claim(unique: UniqueKey<T>, record: T, index: number, raw: unknown): void {
    for (const key of unique.keys(record)) {
      const owner = this.#owners.get(key);
      if (owner && owner.id !== record.id) {
        this.#problem(() => `${this.#label(index, raw)}: ${unique.label} ${key} is already used by record ${this.#indexOf(owner.id)} (id ${owner.id})`);
      } else {
        this.#owners.set(key, record);
      }
    }
  }

  finish(): Map<string, T> {
    if (this.#problems.length > 0) {
      const more = this.#unlisted > 0 ? [`${this.#path}: ${this.#unlisted} more problem(s) not listed`] : [];
      throw new StoreInvalidError([...this.#problems, ...more]);
    }
    return this.#records;
  }

  /** Only the first problems are worded; past them, counting is enough. */
  #problem(message: () => string): void {
    if (this.#problems.length < maxProblemsPerFile) this.#problems.push(message());
    else this.#unlisted++;
  }

  #label(index: number, raw: unknown): string {
    return recordLabel(`${this.#path} record ${index}`, raw);
  }

  /** The position in the file of a record kept: its place among those kept, moved past those left out before it. */
  #indexOf(id: string): number {
    let index = 0;
    for (const kept of this.#records.keys()) {
      if (kept === id) break;
      index++;
    }
    for (const left of this.#left) if (left <= index) index++;
    return index;
  }

  /** The record is fresh from JSON.parse and not yet shared, so its fields can be swapped for equal ones. */
  #share(record: T): void {
    const fields = record as Record<string, unknown>;
    for (const field of this.#repeated) {
      const value = fields[field];
      if (typeof value === 'string') fields[field] = this.#intern(value);
      else if (Array.isArray(value) && value.length === 0) fields[field] = noItems;
    }
  }
}

/** `issue.path` and `issue.message`, as in `domains.0: a domain such as acme.com`. */
export function formatIssue(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): string {
  const where = issue.path.map(String).join('.');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** `where` (a file and a record or line) and the id of `raw` if it has one. */
export function recordLabel(where: string, raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
  return typeof id === 'string' && id !== '' ? `${where} (id ${id})` : where;
}

/** The first problems of a file and a count of the rest. */
export function capProblems(path: string, problems: string[]): string[] {
  if (problems.length <= maxProblemsPerFile) return problems;
  const rest = problems.length - maxProblemsPerFile;
  return [...problems.slice(0, maxProblemsPerFile), `${path}: ${rest} more problem(s) not listed`];
}
