import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Interaction } from '../../domain/interaction.ts';
import type { Logger } from '../../logger.ts';
import { GrowingColumn } from './growing-column.ts';
import { IndexBatcher, IndexedLines, InteractionIndexer, type IndexBatch, type InteractionIndex } from './interaction-index.ts';
import type { SnapshotIndexing, SnapshotIndexWriter } from './json-lines-file.ts';
import { LineIdsBuilder, type LineIdParts, type LineIds } from './line-ids.ts';
import { SnapshotHash, type SnapshotFile } from './scan-snapshot.ts';
import type { SnapshotLineParts } from './snapshot-lines.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

/**
 * What a scan of the interactions' snapshot would find, saved beside it as
 * `interactions.index` when the snapshot is written, so that a start need
 * not parse the snapshot: where each line is, the lines' ids, and the
 * indexes built over them. It belongs to the snapshot whose size and SHA-256 it names; any
 * other snapshot (rewritten since, edited by hand) is scanned as ever. It is
 * a cache: deleting it only makes the next start slower.
 */
export interface SnapshotIndex extends SnapshotFile {
  /** Where line `n` starts in the file (at its indentation) and where its record's JSON ends (before the comma). */
  readonly lineStarts: Float64Array;
  readonly jsonEnds: Float64Array;
  readonly ids: LineIdParts;
  readonly index: InteractionIndex;
}

const magic = 'guanxi interactions index 1\n';

type Kind = 'f64' | 'i32' | 'latin1' | 'utf16le';
type Section = [name: string, kind: Kind, bytes: number];

/** The arrays are stored in this machine's byte order, which the header names. */
const byteOrder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little-endian' : 'big-endian';

interface Header {
  readonly byteOrder: string;
  readonly bytes: number;
  readonly digest: string;
  readonly count: number;
  /** The SHA-256 of everything after the header line. */
  readonly body: string;
  readonly sections: Section[];
}

/** `interactions.json` → `interactions.index`. */
export function indexPathOf(snapshotPath: string): string {
  return snapshotPath.replace(/\.json$/, '') + '.index';
}

/** The file's bytes: a text header line, then the arrays, each at a multiple of 8 bytes so it can be read in place. */
export function encodeSnapshotIndex(file: SnapshotIndex): Buffer[] {
  const { index, ids } = file;
  const parts: [string, Kind, Uint8Array][] = [
    ['lineStarts', 'f64', bytesOf(file.lineStarts)],
    ['jsonEnds', 'f64', bytesOf(file.jsonEnds)],
    ['occurred', 'f64', bytesOf(index.occurred)],
    ['logged', 'f64', bytesOf(index.logged)],
    ['idEnds', 'i32', bytesOf(ids.ends)],
    ['idSlots', 'i32', bytesOf(ids.slots)],
    ['idText', ...text(ids.text)],
    ['starts', 'i32', bytesOf(index.timelines.starts)],
    ['order', 'i32', bytesOf(index.timelines.order)],
    ...strings('keys', index.timelines.keys),
    ...strings('messageIds', index.messageIds.keys),
    ['messageIdNumbers', 'i32', bytesOf(Int32Array.from(index.messageIds.numbers))],
    ...strings('providerIds', index.providerIds.keys),
    ['providerIdNumbers', 'i32', bytesOf(Int32Array.from(index.providerIds.numbers))],
  ];
  const body: Buffer[] = [];
  for (const [, , bytes] of parts) body.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), Buffer.alloc(padding(bytes.byteLength)));
  const hash = createHash('sha256');
  for (const piece of body) hash.update(piece);
  const header: Header = { byteOrder, bytes: file.bytes, digest: file.digest, count: file.lineStarts.length, body: hash.digest('hex'), sections: parts.map(([name, kind, bytes]) => [name, kind, bytes.byteLength]) };
  const line = `${magic}${JSON.stringify(header)}`;
  return [Buffer.from(`${line}${' '.repeat(padding(Buffer.byteLength(line) + 1))}\n`), ...body];
}

/** The header line of an index, and where its arrays start; null if this is not an index of this version. */
function readHeader(buffer: Buffer): { header: Header; start: number } | null {
  if (buffer.toString('latin1', 0, magic.length) !== magic) return null;
  const end = buffer.indexOf(0x0a, magic.length);
  if (end < 0 || (end + 1) % 8 !== 0) return null;
  try {
    const header = JSON.parse(buffer.toString('utf8', magic.length, end)) as Header;
    return header.byteOrder === byteOrder ? { header, start: end + 1 } : null;
  } catch {
    return null;
  }
}

/** The size of the snapshot an index names; null if `buffer` is not an index of this version. */
export function indexedSize(buffer: Buffer): number | null {
  return readHeader(buffer)?.header.bytes ?? null;
}

/** Whether `buffer` is a whole, unchanged index of the snapshot `file`: its header names it, and its arrays are as written. */
export function indexBelongsTo(buffer: Buffer, file: SnapshotFile): boolean {
  const read = readHeader(buffer);
  return read !== null && read.header.bytes === file.bytes && read.header.digest === file.digest && createHash('sha256').update(buffer.subarray(read.start)).digest('hex') === read.header.body;
}

/**
 * Builds the index from the bytes of an index file that indexBelongsTo
 * accepted; null if they are not consistent with themselves (all the arrays
 * as long as the lines are many, every number a line).
 */
export function decodeSnapshotIndex(bytes: Buffer): SnapshotIndex | null {
  // The arrays are read in place, which needs their memory aligned as the file has them.
  const buffer = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  const read = readHeader(buffer);
  if (!read) return null;
  const { header, start } = read;
  try {
    const sections = new Map<string, { kind: Kind; from: number; to: number }>();
    let at = start;
    for (const [name, kind, length] of header.sections) {
      sections.set(name, { kind, from: at, to: at + length });
      at += length + padding(length);
    }
    if (at !== buffer.length) return null;
    const section = (name: string) => {
      const found = sections.get(name);
      if (!found) throw new Error(`no ${name}`);
      return found;
    };
    const f64 = (name: string) => {
      const { from, to } = section(name);
      return new Float64Array(buffer.buffer, buffer.byteOffset + from, (to - from) / 8);
    };
    const i32 = (name: string) => {
      const { from, to } = section(name);
      return new Int32Array(buffer.buffer, buffer.byteOffset + from, (to - from) / 4);
    };
    const string = (name: string) => {
      const { kind, from, to } = section(name);
      return buffer.toString(kind === 'utf16le' ? 'utf16le' : 'latin1', from, to);
    };
    const list = (name: string) => split(string(`${name}Text`), i32(`${name}Ends`));
    const file: SnapshotIndex = {
      bytes: header.bytes,
      digest: header.digest,
      lineStarts: f64('lineStarts'),
      jsonEnds: f64('jsonEnds'),
      ids: { text: string('idText'), ends: i32('idEnds'), slots: i32('idSlots') },
      index: {
        timelines: { keys: list('keys'), starts: i32('starts'), order: i32('order') },
        messageIds: { keys: list('messageIds'), numbers: Array.from(i32('messageIdNumbers')) },
        providerIds: { keys: list('providerIds'), numbers: Array.from(i32('providerIdNumbers')) },
        occurred: f64('occurred'),
        logged: f64('logged'),
      },
    };
    return consistent(file, header.count) ? file : null;
  } catch {
    return null;
  }
}

/** Every array as long as the lines are many, and every number a line: what a damaged header would break. */
function consistent(file: SnapshotIndex, count: number): boolean {
  const { index, ids } = file;
  const { keys, starts, order } = index.timelines;
  const lines = (numbers: ArrayLike<number>) => Array.prototype.every.call(numbers, (n: number) => Number.isInteger(n) && n >= 0 && n < count);
  return (
    typeof file.bytes === 'number' &&
    typeof file.digest === 'string' &&
    [file.lineStarts, file.jsonEnds, index.occurred, index.logged, ids.ends].every((array) => array.length === count) &&
    ids.slots.length >= 2 * count &&
    (ids.slots.length & (ids.slots.length - 1)) === 0 &&
    ids.text.length === (count === 0 ? 0 : ids.ends[count - 1]) &&
    starts.length === keys.length + 1 &&
    starts[keys.length] === order.length &&
    lines(order) &&
    lines(index.messageIds.numbers) &&
    lines(index.providerIds.numbers) &&
    index.messageIds.keys.length === index.messageIds.numbers.length &&
    index.providerIds.keys.length === index.providerIds.numbers.length
  );
}

function bytesOf(array: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** A string's code units, one byte each when they all fit, else two. */
function text(value: string): [Kind, Uint8Array] {
  return /[^\u0000-\u00ff]/.test(value) ? ['utf16le', Buffer.from(value, 'utf16le')] : ['latin1', Buffer.from(value, 'latin1')];
}

/** Strings as one text and where each ends in it. */
function strings(name: string, values: readonly string[]): [string, Kind, Uint8Array][] {
  const ends = new Int32Array(values.length);
  let length = 0;
  values.forEach((value, i) => (ends[i] = length += value.length));
  return [
    [`${name}Text`, ...text(values.join(''))],
    [`${name}Ends`, 'i32', bytesOf(ends)],
  ];
}

function split(joined: string, ends: Int32Array): string[] {
  const values: string[] = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    values[i] = joined.slice(start, ends[i]);
    start = ends[i]!;
  }
  return values;
}

function padding(bytes: number): number {
  return (8 - (bytes % 8)) % 8;
}

/** Where lines start in a snapshot (at their indentation) and where their records' JSON ends. */
export interface LinePlaces {
  readonly lineStarts: Float64Array;
  readonly jsonEnds: Float64Array;
}

/**
 * Where the lines of `index` are in the buffers of the snapshot's bytes
 * (each holding whole lines, `offsets` saying where each starts in the
 * file); null if a line is not within one of them.
 */
export function linesOfIndex(index: SnapshotIndex, chunks: readonly ArrayBuffer[], offsets: Float64Array): SnapshotLineParts | null {
  const count = index.lineStarts.length;
  const chunk = new Int32Array(count);
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  let k = 0;
  for (let n = 0; n < count; n++) {
    const from = index.lineStarts[n]!;
    const to = index.jsonEnds[n]!;
    while (k + 1 < chunks.length && offsets[k + 1]! <= from) k++;
    if (k >= chunks.length || from < offsets[k]! || to - offsets[k]! > chunks[k]!.byteLength || to < from) return null;
    chunk[n] = k;
    start[n] = from - offsets[k]!;
    end[n] = to - offsets[k]!;
  }
  return { chunks, offsets, chunk, start, end, ids: index.ids };
}

/** One batch of what an index is built from: records in file order, as the scanning worker posts them. */
export interface IndexPart {
  readonly batch: IndexBatch;
  readonly ids: { readonly text: string; readonly ends: Int32Array };
  readonly places: LinePlaces;
}

/** Where an index goes, `indexPath`, for a snapshot of `fromBytes` or more. */
export interface IndexTarget {
  readonly indexPath: string;
  readonly fromBytes: number;
}

/**
 * Builds an index from its parts, in file order, and saves it beside the
 * snapshot; or deletes any index there if the snapshot is too small to need
 * one. Meant for a worker thread: at a million interactions this is most of
 * a second of work.
 */
export class IndexSaver {
  readonly #indexer = new InteractionIndexer();
  readonly #ids = new LineIdsBuilder();
  readonly #lineStarts = new GrowingColumn((n) => new Float64Array(n));
  readonly #jsonEnds = new GrowingColumn((n) => new Float64Array(n));

  add(part: IndexPart): void {
    this.#indexer.add(part.batch);
    this.#ids.add(part.ids.text, part.ids.ends);
    this.#lineStarts.setAt(this.#lineStarts.length, part.places.lineStarts);
    this.#jsonEnds.setAt(this.#jsonEnds.length, part.places.jsonEnds);
  }

  /** Saves the index of the snapshot `file` (its size and SHA-256). */
  async save(target: IndexTarget, file: SnapshotFile): Promise<void> {
    const ids = this.#ids.finish();
    if (file.bytes < target.fromBytes || !ids) {
      await rm(target.indexPath, { force: true });
      return;
    }
    const index = { ...file, lineStarts: this.#lineStarts.take(), jsonEnds: this.#jsonEnds.take(), ids, index: this.#indexer.finish() };
    await writeFileAtomically(target.indexPath, encodeSnapshotIndex(index));
  }
}

/** Records per part sent to the index worker: a few milliseconds' work each. */
const partSize = 10_000;

/**
 * Indexes a snapshot of interactions as it is written (see
 * SnapshotIndexWriter): this thread takes what is already known of each
 * record (a line copied from the snapshot as read has its fields in that
 * read's index, a record written anew has them itself, so nothing is parsed)
 * and an IndexSaver builds and saves the index, which is what a scan of the
 * new snapshot would find. For a large snapshot (one read as lines, or
 * one past the first part) the saver is a worker thread, which also hashes
 * the bytes as they are written; a small one is indexed here.
 */
class IndexWriter implements SnapshotIndexWriter<Interaction> {
  readonly #target: IndexTarget;
  readonly #read: { readonly fields: IndexedLines; readonly ids: LineIds } | null;
  #worker: { readonly thread: Worker; readonly saved: Promise<void> } | null = null;
  /** The snapshot's bytes written while there is no worker to hash them: kept for it, or hashed here at the end. */
  readonly #unhashed: Buffer[] = [];
  readonly #batcher = new IndexBatcher();
  #idTexts: string[] = [];
  #idEnds = new GrowingColumn((n) => new Int32Array(n));
  #idLength = 0;
  #lineStarts = new GrowingColumn((n) => new Float64Array(n));
  #jsonEnds = new GrowingColumn((n) => new Float64Array(n));
  /** Where the next line starts: after the `[` line. */
  #offset = 2;
  #count = 0;

  constructor(target: IndexTarget, read: { readonly index: InteractionIndex; readonly ids: LineIds } | null) {
    this.#target = target;
    this.#read = read && { fields: new IndexedLines(read.index), ids: read.ids };
    if (read) this.#worker = startWorker(target);
  }

  line(n: number, bytes: number): void {
    const read = this.#read;
    if (!read) throw new Error('A snapshot read as records has no lines to copy.');
    this.#batcher.addFields(read.fields.fields(n), this.#count);
    this.#next(read.ids.id(n), bytes);
  }

  record(interaction: Interaction, bytes: number): void {
    this.#batcher.add(interaction, this.#count);
    this.#next(interaction.id, bytes);
  }

  wrote(bytes: Buffer): void {
    if (!this.#worker) this.#unhashed.push(bytes);
    else postBytes(this.#worker.thread, bytes);
  }

  async finish(): Promise<void> {
    const part = this.#take();
    if (this.#worker) {
      if (part) this.#worker.thread.postMessage(part, transferablesOfPart(part));
      this.#worker.thread.postMessage({ save: true });
      await this.#worker.saved;
      return;
    }
    const hash = new SnapshotHash();
    for (const bytes of this.#unhashed) hash.update(bytes);
    const saver = new IndexSaver();
    if (part) saver.add(part);
    await saver.save(this.#target, hash.file());
  }

  abandon(): void {
    if (this.#worker) void this.#worker.thread.terminate();
  }

  #next(id: string, bytes: number): void {
    this.#count++;
    this.#idTexts.push(id);
    this.#idEnds.push((this.#idLength += id.length));
    // A line is two spaces of indentation, the record, and a comma and a newline (the last, a newline only).
    this.#lineStarts.push(this.#offset);
    this.#jsonEnds.push(this.#offset + 2 + bytes);
    this.#offset += 2 + bytes + 2;
    if (this.#batcher.size < partSize) return;
    if (!this.#worker) {
      this.#worker = startWorker(this.#target);
      for (const bytes of this.#unhashed.splice(0)) postBytes(this.#worker.thread, bytes);
    }
    const part = this.#take()!;
    this.#worker.thread.postMessage(part, transferablesOfPart(part));
  }

  /** The records since the last part; null if none. */
  #take(): IndexPart | null {
    if (this.#batcher.size === 0) return null;
    const part: IndexPart = {
      batch: this.#batcher.take(),
      ids: { text: this.#idTexts.join(''), ends: this.#idEnds.take() },
      places: { lineStarts: this.#lineStarts.take(), jsonEnds: this.#jsonEnds.take() },
    };
    this.#idTexts = [];
    this.#idEnds = new GrowingColumn((n) => new Int32Array(n));
    this.#idLength = 0;
    this.#lineStarts = new GrowingColumn((n) => new Float64Array(n));
    this.#jsonEnds = new GrowingColumn((n) => new Float64Array(n));
    return part;
  }
}

/** Hands bytes of the snapshot to the worker to hash: over, when they have an ArrayBuffer of their own, else copied. */
function postBytes(thread: Worker, bytes: Buffer): void {
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;
  thread.postMessage({ bytes }, own ? [bytes.buffer as ArrayBuffer] : []);
}

/** An index worker (index-worker.ts) for `target`, and when it has saved the index. */
function startWorker(target: IndexTarget): { thread: Worker; saved: Promise<void> } {
  const thread = new Worker(new URL('./index-worker.ts', import.meta.url), { workerData: target });
  const saved = new Promise<void>((resolve, reject) => {
    thread.on('message', (message: { saved: true } | { failed: string }) => ('saved' in message ? resolve() : reject(new Error(message.failed))));
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the index worker stopped (exit code ${code})`)));
  });
  // Awaited by finish; a write that fails first abandons the worker.
  saved.catch(() => undefined);
  return { thread, saved };
}

/** The arrays of a part, to hand over rather than copy. */
export function transferablesOfPart(part: IndexPart): ArrayBuffer[] {
  const { batch, ids, places } = part;
  return [batch.customerEnds, batch.occurred, batch.logged, ids.ends, places.lineStarts, places.jsonEnds].map((array) => array.buffer as ArrayBuffer);
}

/**
 * The index kept beside the interactions' snapshot at `snapshotPath`, for a
 * snapshot of `fromBytes` or more (a smaller one is not scanned, so it has
 * none).
 */
export function interactionIndexing(snapshotPath: string, fromBytes: number, log: Logger): SnapshotIndexing<Interaction, InteractionIndex> {
  const target = { indexPath: indexPathOf(snapshotPath), fromBytes };
  return {
    path: target.indexPath,
    log,
    start: (read) => new IndexWriter(target, read && { index: read.index, ids: read.lines.ids }),
  };
}
