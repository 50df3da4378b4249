import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { StoreInvalidError } from '../../errors.ts';
import { renderEntry, type JournalEntry, type ParsedJournal } from './parse-journal.ts';
import { syncFolder } from './write-file-atomically.ts';

/**
 * A lowdb adapter for a collection's journal, `<name>.journal`: the changes
 * since the snapshot, one JSON line each. The data is every entry the file
 * holds; `write` appends the entries it has not written yet and fsyncs, so a
 * write costs what changed. Appends are serialised, and every write asked for
 * while one runs shares the next (group commit).
 */
export class JournalFile<T extends { readonly id: string }> implements Adapter<JournalEntry<T>[]> {
  readonly path: string;
  readonly #parse: (buffer: Buffer) => ParsedJournal<T>;
  #entries: JournalEntry<T>[] = [];
  /** How many of `#entries` the file holds, and their bytes. */
  #written = 0;
  #bytes = 0;
  #tail: ParsedJournal<T>['tail'] = null;
  #handle: FileHandle | null = null;
  #exists = false;
  /** An append failed part way: the file may end in a piece of a line, cut before the next. */
  #dirty = false;
  #last: Promise<void> = Promise.resolve();
  #queued: Promise<void> | null = null;

  constructor(path: string, options: { parse: (buffer: Buffer) => ParsedJournal<T> }) {
    this.path = path;
    this.#parse = options.parse;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Null for a missing file; any other problem is a StoreInvalidError naming the file and line. */
  async read(): Promise<JournalEntry<T>[] | null> {
    let buffer: Buffer;
    try {
      buffer = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StoreInvalidError([`${this.path}: cannot be read (${(error as Error).message})`]);
    }
    const parsed = this.#parse(buffer);
    this.#exists = true;
    this.#entries = parsed.entries;
    this.#written = parsed.entries.length;
    this.#bytes = parsed.bytes;
    this.#tail = parsed.tail;
    return parsed.entries;
  }

  /** Once the whole store has loaded: cuts off a torn last line, or ends a complete one; says what it did. */
  async repair(): Promise<string | null> {
    const tail = this.#tail;
    this.#tail = null;
    if (!tail) return null;
    const handle = await this.#open();
    if (!tail.torn) {
      await handle.writeFile('\n');
      this.#bytes += 1;
      await handle.datasync();
      return null;
    }
    await handle.truncate(this.#bytes);
    await handle.datasync();
    return `${this.path}: ignored its last line (${tail.line}), an incomplete write of ${tail.bytes} bytes left by a crash before it was acknowledged`;
  }

  /** Resolves once every entry of `entries` is in the file, fsynced. */
  write(entries: JournalEntry<T>[]): Promise<void> {
    this.#entries = entries;
    if (this.#queued) return this.#queued;
    const queued = this.#after(() => {
      this.#queued = null;
      return this.#append();
    });
    this.#queued = queued;
    return queued;
  }

  /**
   * Renames the file to `frozenPath` once pending appends are done; later
   * entries go to a new file. True if there was a file to rename.
   */
  freeze(frozenPath: string): Promise<boolean> {
    return this.#after(async () => {
      await this.#close();
      if (!this.#exists) return false;
      await rename(this.path, frozenPath);
      await syncFolder(dirname(this.path));
      this.#exists = false;
      this.#entries.splice(0, this.#written);
      this.#written = 0;
      this.#bytes = 0;
      return true;
    });
  }

  async remove(): Promise<void> {
    await this.#after(() => this.#close());
    await rm(this.path, { force: true });
    this.#exists = false;
  }

  /** Waits for pending appends; retries once if the last one failed. */
  async flush(): Promise<void> {
    await this.#last;
    if (this.#written < this.#entries.length) await this.write(this.#entries);
  }

  close(): Promise<void> {
    return this.#after(() => this.#close());
  }

  async #append(): Promise<void> {
    const end = this.#entries.length;
    if (this.#written >= end) return;
    let text = '';
    for (let i = this.#written; i < end; i++) text += `${renderEntry(this.#entries[i]!)}\n`;
    const handle = await this.#open();
    try {
      if (this.#dirty) await handle.truncate(this.#bytes);
      this.#dirty = true;
      await handle.writeFile(text, 'utf8');
      await handle.datasync();
      this.#dirty = false;
    } catch (error) {
      await this.#close().catch(() => {});
      throw error;
    }
    this.#written = end;
    this.#bytes += Buffer.byteLength(text);
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle) return this.#handle;
    this.#handle = await open(this.path, 'a');
    if (!this.#exists) {
      await syncFolder(dirname(this.path));
      this.#exists = true;
    }
    return this.#handle;
  }

  async #close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    if (!handle) return;
    try {
      if (this.#dirty) await handle.truncate(this.#bytes);
      this.#dirty = false;
    } finally {
      await handle.close();
    }
  }

  /** Runs `step` after everything asked of this file before it; failures do not stop later steps. */
  #after<R>(step: () => Promise<R>): Promise<R> {
    const run = this.#last.then(step, step);
    this.#last = run.then(noop, noop);
    return run;
  }
}

function noop(): void {}
