import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { StoreInvalidError } from '../../errors.ts';
import { parseJsonArray } from './parse-json-array.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

/** Records per chunk: big enough to write efficiently, small enough not to hold the event loop. */
const chunkSize = 2000;

export interface JsonLinesFileOptions<T> {
  /** Turns the array the file holds into records, or throws StoreInvalidError saying what is wrong. */
  readonly parse: (data: readonly unknown[]) => T[];
}

/**
 * A lowdb adapter for one collection's snapshot, `<name>.json`: a JSON array
 * with one record per line, so the file stays readable, greppable and easy to
 * edit by hand at any size. It is rewritten whole only by a compaction (and
 * at close); the changes between two go to the journal beside it.
 *
 * Writes are serialised and coalesced, as lowdb's TextFile does through steno:
 * a write asked for while another is running waits for it, and every write
 * asked for meanwhile shares the next one, which takes the newest data when it
 * starts. Records are stringified a chunk at a time, so a large file is
 * written without holding the event loop.
 */
export class JsonLinesFile<T extends object> implements Adapter<T[]> {
  readonly path: string;
  readonly #parse: (data: readonly unknown[]) => T[];
  #latest: T[] = [];
  #last: Promise<void> = Promise.resolve();
  #queued: Promise<void> | null = null;

  constructor(path: string, options: JsonLinesFileOptions<T>) {
    this.path = path;
    this.#parse = options.parse;
  }

  /** Null for a missing file, as lowdb's own adapters; any other problem is a StoreInvalidError naming the file. */
  async read(): Promise<T[] | null> {
    let buffer: Buffer;
    try {
      buffer = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.#invalid(`cannot be read (${(error as Error).message})`);
    }
    let data: unknown;
    try {
      data = parseJsonArray(buffer);
    } catch (error) {
      throw this.#invalid(`not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(data)) throw this.#invalid(`should hold a JSON array of records, [ ... ], but holds ${describe(data)}`);
    return this.#parse(data);
  }

  /** Resolves once `data`, or newer data given meanwhile, is on disk. */
  write(data: T[]): Promise<void> {
    this.#latest = data;
    if (this.#queued) return this.#queued;
    const queued = this.#last.then(noop, noop).then(() => {
      this.#queued = null;
      // A copy, because the caller may change its array while the chunks are written.
      return this.#writeNow(this.#latest.slice());
    });
    this.#queued = queued;
    this.#last = queued;
    return queued;
  }

  #writeNow(records: readonly T[]): Promise<void> {
    return writeFileAtomically(this.path, this.#render(records));
  }

  *#render(records: readonly T[]): Generator<string> {
    if (records.length === 0) {
      yield '[]\n';
      return;
    }
    for (let start = 0; start < records.length; start += chunkSize) {
      const end = start + chunkSize;
      const body = records.slice(start, end).map((record) => JSON.stringify(record)).join(',\n  ');
      yield `${start === 0 ? '[\n  ' : ',\n  '}${body}${end >= records.length ? '\n]\n' : ''}`;
    }
  }

  #invalid(problem: string): StoreInvalidError {
    return new StoreInvalidError([`${this.path}: ${problem}`]);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function noop(): void {}
