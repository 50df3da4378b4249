import { rm } from 'node:fs/promises';
import { Low } from 'lowdb';
import type { z } from 'zod';
import { StoreInvalidError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { JournalFile } from './journal-file.ts';
import type { JsonLinesFile } from './json-lines-file.ts';
import { LineRecords, type RecordMap } from './line-records.ts';
import type { JournalEntry } from './parse-journal.ts';
import { formatIssue, type UniqueKey } from './parse-records.ts';
import { replayJournals } from './replay-journal.ts';
import { deepFreeze } from './snapshot-lines.ts';
import { tempPathOf } from './write-file-atomically.ts';

/** When a journal is folded into its snapshot. */
export interface CompactionLimits {
  /** Lines, or the collection's record count if that is more: the snapshot is rewritten after about as many lines as it has. */
  readonly lines: number;
  readonly bytes: number;
}

export const defaultCompactionLimits: CompactionLimits = { lines: 1000, bytes: 64 * 1024 * 1024 };

/** After a failed compaction, the next attempt waits this long; the journal keeps every write meanwhile. */
const retryCompactionMs = 60_000;

export interface CollectionFiles<T extends { readonly id: string }, X = never> {
  /** `<name>.json`: the records as of the last compaction. */
  readonly snapshot: JsonLinesFile<T, X>;
  /** `<name>.journal`: every change since, appended. */
  readonly journal: JournalFile<T>;
  /** `<name>.journal.old`: the journal being folded into a new snapshot; present only while a compaction runs, or after a crash during one. */
  readonly frozen: JournalFile<T>;
}

/**
 * The records of one collection, in memory: a lowdb `Low` over the snapshot
 * whose `data` is every record by id, in file order (a Map keeps a replaced
 * record where it was and puts a new one last, as the file does; a large
 * collection may keep the records it read as the snapshot's lines instead,
 * see LineRecords); and a `Low` over the journal whose `data` is the changes
 * the journal holds. A write changes memory, appends its change to the
 * journal and resolves once that is fsynced. When the journal has grown
 * about as big as the snapshot, a compaction freezes it, writes a new
 * snapshot in the background, and deletes the frozen journal.
 *
 * Repos keep their own indexes. Their writes are synchronous up to the
 * `await` of `set` or `delete`, so a check (such as "is this domain free?")
 * and the change it guards cannot interleave with another write.
 */
export class Collection<T extends { readonly id: string }, X = never> {
  readonly #noun: string;
  readonly #schema: z.ZodType<T>;
  readonly #unique: UniqueKey<T> | undefined;
  readonly #files: CollectionFiles<T, X>;
  readonly #state: Low<RecordMap<T>>;
  readonly #journal: Low<JournalEntry<T>[]>;
  readonly #limits: CompactionLimits;
  readonly #log: Logger;
  /** A frozen journal exists: the next compaction only has to write the snapshot. */
  #frozen = false;
  #compaction: Promise<void> | null = null;
  #retryAt = 0;
  #closed = false;
  #closing: Promise<void> | null = null;

  /** `noun` names one record in errors; nothing is in memory until `read`. */
  constructor(options: {
    noun: string;
    schema: z.ZodType<T>;
    unique?: UniqueKey<T> | undefined;
    files: CollectionFiles<T, X>;
    limits: CompactionLimits;
    log: Logger;
  }) {
    this.#noun = options.noun;
    this.#schema = options.schema;
    this.#unique = options.unique;
    this.#files = options.files;
    this.#limits = options.limits;
    this.#log = options.log;
    this.#state = new Low<RecordMap<T>>(options.files.snapshot, new Map());
    this.#journal = new Low<JournalEntry<T>[]>(options.files.journal, []);
  }

  /**
   * Loads the snapshot and replays the journals over it: the frozen one, then
   * the current one. Rejects with StoreInvalidError, listing the problems of
   * all three files, if any holds anything but valid records; changes no file.
   */
  async read(): Promise<void> {
    const [snapshot, frozen, journal] = await Promise.allSettled([this.#state.read(), this.#files.frozen.read(), this.#journal.read()]);
    const failures = [snapshot, frozen, journal].flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    const unexpected = failures.find((failure) => !(failure instanceof StoreInvalidError));
    if (unexpected !== undefined) throw unexpected;
    if (failures.length > 0) throw new StoreInvalidError(failures.flatMap((failure) => (failure as StoreInvalidError).problems));
    const frozenEntries = frozen.status === 'fulfilled' ? frozen.value : null;
    this.#frozen = frozenEntries !== null;
    this.#state.data = replayJournals(
      this.#files.snapshot.path,
      this.#state.data,
      [
        { path: this.#files.frozen.path, entries: frozenEntries ?? [] },
        { path: this.#files.journal.path, entries: this.#journal.data },
      ],
      this.#unique,
    );
    for (const record of this.#objects()) deepFreeze(record);
  }

  /** When the snapshot was kept as its lines: those records, and the indexes its scan built over them, by line. */
  get scanned(): { records: LineRecords<T>; index: X } | null {
    const records = this.#state.data;
    const { index } = this.#files.snapshot;
    return records instanceof LineRecords && index !== null ? { records, index } : null;
  }

  /**
   * Once every collection of the store has loaded: tidies what a crash left
   * (a torn last line, a temp file) and starts a compaction if one is due.
   */
  async start(): Promise<void> {
    for (const file of [this.#files.frozen, this.#files.journal]) {
      const note = await file.repair();
      if (note) this.#log.warn(note);
    }
    for (const path of this.#files.snapshot.paths) await rm(tempPathOf(path), { force: true });
    this.#maybeCompact();
  }

  get size(): number {
    return this.#state.data.size;
  }

  get(id: string): T | undefined {
    return this.#state.data.get(id);
  }

  has(id: string): boolean {
    return this.#state.data.has(id);
  }

  values(): Iterable<T> {
    return this.#state.data.values();
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
    return deepFreeze(result.data);
  }

  /** Inserts or replaces in memory now; resolves once the journal on disk has it. */
  set(record: T): Promise<void> {
    return this.setMany([record]);
  }

  /** As `set`, for several records in one append. */
  setMany(records: readonly T[]): Promise<void> {
    this.#assertOpen();
    for (const record of records) {
      this.#state.data.set(record.id, record);
      this.#journal.data.push({ put: record });
    }
    return this.#commit();
  }

  delete(ids: readonly string[]): Promise<void> {
    this.#assertOpen();
    for (const id of new Set(ids)) {
      if (this.#state.data.delete(id)) this.#journal.data.push({ delete: id });
    }
    return this.#commit();
  }

  /**
   * Refuses further writes, waits for pending ones, and folds the journal
   * into the snapshot, so that a folder closed cleanly holds only `<name>.json`.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  #commit(): Promise<void> {
    const written = this.#journal.write();
    this.#maybeCompact();
    return written;
  }

  #maybeCompact(): void {
    if (this.#compaction || this.#closed || Date.now() < this.#retryAt) return;
    const lines = this.#journal.data.length;
    const due = this.#frozen || lines >= Math.max(this.#limits.lines, this.size) || this.#files.journal.bytes >= this.#limits.bytes;
    if (!due) return;
    this.#compaction = this.#compact()
      .then(
        () => {
          this.#retryAt = 0;
        },
        (error: unknown) => {
          this.#retryAt = Date.now() + retryCompactionMs;
          this.#log.warn(`Could not compact ${this.#files.journal.path} into ${this.#files.snapshot.path}; it will be tried again, and the journal keeps every write meanwhile`, error);
        },
      )
      .finally(() => {
        this.#compaction = null;
      });
  }

  /**
   * Freezes the journal (later writes go to a new one), writes a snapshot of
   * memory, which has every frozen change, then deletes the frozen journal.
   * A crash at any step leaves files that replay to the same records.
   */
  async #compact(): Promise<boolean> {
    if (!this.#frozen) {
      this.#frozen = await this.#files.journal.freeze(this.#files.frozen.path);
      // No journal on disk, and no change that failed to reach it: the snapshot is current.
      if (!this.#frozen && this.#journal.data.length === 0) return false;
    }
    await this.#state.write();
    await this.#files.frozen.remove();
    this.#frozen = false;
    return true;
  }

  async #shutDown(): Promise<void> {
    this.#closed = true;
    let failure: unknown = null;
    await this.#files.journal.flush().catch((error: unknown) => {
      failure = error;
    });
    await this.#compaction;
    try {
      // Once the snapshot is written, every write is in it, even one whose append failed.
      if ((this.#journal.data.length > 0 || this.#frozen) && (await this.#compact())) failure = null;
    } catch (error) {
      failure ??= error;
    }
    await Promise.all([this.#files.journal.close(), this.#files.frozen.close()]);
    if (failure !== null) throw failure;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`The store is closed; cannot write a ${this.#noun}.`);
  }

  /** The records held as objects: all of them, or for a snapshot kept as lines, those written since. */
  #objects(): Iterable<T> {
    const records = this.#state.data;
    return records instanceof LineRecords ? records.objects() : records.values();
  }
}
