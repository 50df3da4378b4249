import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { StoreInvalidError } from '../../errors.ts';
import { parseJsonArray, streamJsonArray } from './parse-json-array.ts';
import { LineRecords, type RecordMap } from './line-records.ts';
import type { Logger } from '../../logger.ts';
import type { ScanResult } from './scan-snapshot.ts';
import { SnapshotLines } from './snapshot-lines.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

/** Bytes per chunk written (about): big enough to write efficiently, small enough not to hold the event loop. */
const chunkBytes = 1 << 20;

/** Takes the records of a file one by one, in order, and returns them by id, or throws StoreInvalidError saying what is wrong. */
export interface RecordSink<T> {
  add(raw: unknown): void;
  finish(): Map<string, T>;
}

/** Keeps beside a large snapshot an index that spares the next read its scan (see SnapshotIndex), written with each snapshot. */
export interface SnapshotIndexing<T, X> {
  /** Where the index is. */
  readonly path: string;
  /** For a snapshot about to be written from `read` (the snapshot as read, kept as lines, with its scan's index) or from records only (null). */
  start(read: { readonly lines: SnapshotLines<T>; readonly index: X } | null): SnapshotIndexWriter<T>;
  /** Where a failure to save the index is told; the store goes on without it. */
  readonly log: Logger;
}

/** Told each record of a snapshot being written, in file order, with the length in bytes of its JSON. */
export interface SnapshotIndexWriter<T> {
  /** The next record is line `n` of the snapshot as read. */
  line(n: number, bytes: number): void;
  record(record: T, bytes: number): void;
  /** The snapshot's next bytes, once written; they are the writer's now. */
  wrote(bytes: Buffer): void;
  /** Once the snapshot is on disk: saves its index (or deletes any index there, if it needs none). */
  finish(): Promise<void>;
  /** The snapshot could not be written: nothing is saved. */
  abandon(): void;
}

export interface JsonLinesFileOptions<T, X> {
  /** A fresh sink for each reading of the file. */
  readonly records: () => RecordSink<T>;
  /**
   * For a large collection: scans the file elsewhere (a worker thread), so
   * that a file exactly as the store writes it is kept as its lines, with
   * the indexes the scan built. Anything else is read the ordinary way.
   */
  readonly scan?: (path: string) => Promise<ScanResult<X>>;
  readonly indexing?: SnapshotIndexing<T, X>;
}

/**
 * A lowdb adapter for one collection's snapshot, `<name>.json`: a JSON array
 * with one record per line, so the file stays readable, greppable and easy to
 * edit by hand at any size. The data is the records by id, in file order. It
 * is rewritten whole only by a compaction (and at close); the changes between
 * two go to the journal beside it.
 *
 * Writes are serialised and coalesced, as lowdb's TextFile does through steno:
 * a write asked for while another is running waits for it, and every write
 * asked for meanwhile shares the next one, which takes the newest data when it
 * starts. The file is written a chunk at a time, so a large one is written
 * without holding the event loop: lines kept from the file read are copied
 * as its bytes, other records stringified. A file with `indexing` writes the
 * snapshot's index after it (see SnapshotIndexing).
 */
export class JsonLinesFile<T extends { readonly id: string }, X = never> implements Adapter<RecordMap<T>> {
  readonly path: string;
  readonly #records: () => RecordSink<T>;
  readonly #scan: ((path: string) => Promise<ScanResult<X>>) | undefined;
  readonly #indexing: SnapshotIndexing<T, X> | undefined;
  /** After a read that kept the file's lines: the indexes over them, found by the scan or read from the snapshot's index. */
  index: X | null = null;
  #latest: RecordMap<T> = new Map();
  #last: Promise<void> = Promise.resolve();
  #queued: Promise<void> | null = null;

  constructor(path: string, options: JsonLinesFileOptions<T, X>) {
    this.path = path;
    this.#records = options.records;
    this.#scan = options.scan;
    this.#indexing = options.indexing;
  }

  /**
   * Null for a missing file, as lowdb's own adapters; any other problem is a
   * StoreInvalidError naming the file. A large snapshot exactly as the store
   * writes it may be scanned elsewhere and kept as its lines; otherwise a
   * file as the store writes it is read and checked a line at a time, and
   * any other is parsed whole.
   */
  async read(): Promise<RecordMap<T> | null> {
    const scanned = this.#scan ? await this.#scan(this.path) : 'other';
    if (scanned === 'missing') return null;
    if (scanned === 'other') return this.#read();
    this.index = scanned.index;
    return new LineRecords(new SnapshotLines<T>(scanned.lines));
  }

  async #read(): Promise<Map<string, T> | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.#cannotRead(error);
    }
    try {
      const records = this.#records();
      const wrong = await streamJsonArray(handle, (raw) => records.add(raw)).catch((error: unknown) => {
        throw this.#cannotRead(error);
      });
      if (wrong === null) return records.finish();
      let data: unknown;
      try {
        data = parseJsonArray(await readFile(this.path), wrong);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw this.#cannotRead(error);
        throw this.#invalid(`not valid JSON (${error.message})`);
      }
      if (!Array.isArray(data)) throw this.#invalid(`should hold a JSON array of records, [ ... ], but holds ${describe(data)}`);
      const again = this.#records();
      for (const raw of data) again.add(raw);
      return again.finish();
    } finally {
      await handle.close();
    }
  }

  /** The files this writes: the snapshot, and its index if it keeps one. */
  get paths(): string[] {
    return this.#indexing ? [this.path, this.#indexing.path] : [this.path];
  }

  /** Resolves once `data`, or newer data given meanwhile, is on disk. */
  write(data: RecordMap<T>): Promise<void> {
    this.#latest = data;
    if (this.#queued) return this.#queued;
    const queued = this.#last.then(noop, noop).then(() => {
      this.#queued = null;
      // A copy, because the caller may change its records while the chunks are written.
      const latest = this.#latest;
      const records = latest instanceof LineRecords ? latest.copy() : latest;
      const index = this.#startIndex(records instanceof LineRecords && this.index !== null ? { lines: records.lines, index: this.index } : null);
      const pieces =
        records instanceof LineRecords
          ? records.pieces(index)
          : Array.from(records.values(), (record) => {
              const text = JSON.stringify(record);
              index?.record(record, Buffer.byteLength(text));
              return text;
            });
      return index ? this.#writeIndexed(pieces, index) : writeFileAtomically(this.path, render(pieces));
    });
    this.#queued = queued;
    this.#last = queued;
    return queued;
  }

  /** Writes the snapshot, handing its index each chunk of bytes once written (to hash them), then has the index saved. */
  async #writeIndexed(pieces: Iterable<string | Buffer>, index: SnapshotIndexWriter<T>): Promise<void> {
    const chunks = render(pieces);
    let written: Buffer | null = null;
    try {
      await writeFileAtomically(
        this.path,
        (function* () {
          for (const chunk of chunks) {
            // Asked for the next chunk, the writer is done with the one before.
            if (written) index.wrote(written);
            written = chunk;
            yield chunk;
          }
        })(),
      );
    } catch (error) {
      index.abandon();
      throw error;
    }
    if (written) index.wrote(written);
    await index.finish();
  }

  /**
   * The writer of the index of a snapshot about to be written, if this file
   * keeps one. The index is a cache: whatever goes wrong with it is told and
   * costs only the index (the one there no longer fits the snapshot, so it is
   * not used), never the snapshot.
   */
  #startIndex(read: { readonly lines: SnapshotLines<T>; readonly index: X } | null): SnapshotIndexWriter<T> | null {
    const indexing = this.#indexing;
    if (!indexing) return null;
    let writer: SnapshotIndexWriter<T> | null = null;
    const fail = (error: unknown) => {
      writer?.abandon();
      writer = null;
      indexing.log.warn(`Could not save ${indexing.path}; the next start reads ${this.path} in full instead`, error);
    };
    const guard = (work: (writer: SnapshotIndexWriter<T>) => void) => {
      if (!writer) return;
      try {
        work(writer);
      } catch (error) {
        fail(error);
      }
    };
    try {
      writer = indexing.start(read);
    } catch (error) {
      fail(error);
      return null;
    }
    return {
      line: (n, bytes) => guard((w) => w.line(n, bytes)),
      record: (record, bytes) => guard((w) => w.record(record, bytes)),
      wrote: (bytes) => guard((w) => w.wrote(bytes)),
      finish: async () => {
        if (writer) await writer.finish().catch(fail);
      },
      abandon: () => guard((w) => w.abandon()),
    };
  }

  #cannotRead(error: unknown): StoreInvalidError {
    return this.#invalid(`cannot be read (${(error as Error).message})`);
  }

  #invalid(problem: string): StoreInvalidError {
    return new StoreInvalidError([`${this.path}: ${problem}`]);
  }
}

/**
 * The file's bytes, about `chunkBytes` at a time: one record per line, each
 * indented by two spaces, within `[` and `]`. A piece is one record's JSON,
 * or the bytes of several as the file joined them (see LineRecords.pieces).
 */
function* render(pieces: Iterable<string | Buffer>): Generator<Buffer> {
  let parts: Buffer[] = [];
  let texts: string[] = [];
  let size = 0;
  let first = true;
  // A new buffer each time, never a view of a snapshot's lines: whoever is handed a chunk written may take it over.
  const chunk = (): Buffer => {
    const joined = Buffer.from(texts.join(''));
    const whole = parts.length === 0 ? joined : Buffer.concat([...parts, joined]);
    parts = [];
    texts = [];
    size = 0;
    return whole;
  };
  for (const piece of pieces) {
    texts.push(first ? '[\n  ' : ',\n  ');
    first = false;
    if (typeof piece === 'string') texts.push(piece);
    else {
      parts.push(Buffer.from(texts.join('')), piece);
      texts = [];
    }
    size += piece.length;
    if (size >= chunkBytes) yield chunk();
  }
  texts.push(first ? '[]\n' : '\n]\n');
  yield chunk();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function noop(): void {}
