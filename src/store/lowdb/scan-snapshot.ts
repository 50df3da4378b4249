import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { FastCheck } from './fast-check.ts';
import { GrowingColumn } from './growing-column.ts';
import { streamJsonArray } from './parse-json-array.ts';
import type { ScannedLines, SnapshotLineParts } from './snapshot-lines.ts';

/** A snapshot exactly as the store writes it, every record valid as it is: its lines, and the indexes built over them. */
export interface ScannedSnapshot<X> {
  readonly lines: SnapshotLineParts;
  readonly index: X;
  /** Whether the lines and indexes were read from the index saved beside the snapshot, or found by scanning it. */
  readonly from: 'index' | 'scan';
}

/**
 * What a scan found: the snapshot, no file, or `other`: a file that is not
 * exactly valid records as the store writes them (hand-edited, older, broken,
 * unreadable), which the caller reads the ordinary way, so that what is
 * loaded and what is reported are the same as ever.
 */
export type ScanResult<X> = ScannedSnapshot<X> | 'missing' | 'other';

/**
 * Reads and checks a snapshot without keeping a record as an object (they die
 * young, which costs the garbage collector next to nothing), handing each to
 * `each` with its number: meant for a worker thread, while the main thread
 * reads the other collections. The ids are `each`'s to collect, and two
 * records with one id the collector's to notice.
 */
export async function scanSnapshot<T extends { id: string }>(path: string, check: FastCheck, each: (record: T, n: number) => void): Promise<ScannedLines | 'missing' | 'other'> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'other';
  }
  let count = 0;
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  const chunk = new GrowingColumn((n) => new Int32Array(n));
  const start = new GrowingColumn((n) => new Int32Array(n));
  const end = new GrowingColumn((n) => new Int32Array(n));
  let valid = true;
  try {
    const wrong = await streamJsonArray(handle, (value, buffer, from, to, offset) => {
      if (!valid || !check(value)) {
        valid = false;
        return;
      }
      const record = value as T;
      if (chunks[chunks.length - 1]?.buffer !== buffer.buffer) {
        chunks.push(buffer);
        offsets.push(offset - buffer.byteOffset);
      }
      each(record, count++);
      chunk.push(chunks.length - 1);
      start.push(from + buffer.byteOffset);
      end.push(to + buffer.byteOffset);
    });
    if (wrong || !valid) return 'other';
  } catch {
    return 'other';
  } finally {
    await handle.close();
  }
  return {
    chunks: chunks.map((buffer) => buffer.buffer as ArrayBuffer),
    offsets: Float64Array.from(offsets),
    chunk: chunk.take(),
    start: start.take(),
    end: end.take(),
  };
}

/** Bytes read at a time by readSnapshotBytes: each becomes one buffer of whole lines. */
const pieceBytes = 16 * 1024 * 1024;

/**
 * A snapshot's bytes, as buffers that each hold whole lines, with the file
 * offset each starts at, and the file's size and SHA-256: what a start with
 * an index of the snapshot (see SnapshotIndex) reads instead of scanning it.
 */
export async function readSnapshotBytes(path: string): Promise<{ chunks: ArrayBuffer[]; offsets: Float64Array; file: SnapshotFile } | 'missing' | 'other'> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'other';
  }
  const hash = new SnapshotHash();
  const chunks: ArrayBuffer[] = [];
  const offsets: number[] = [];
  let position = 0;
  try {
    let carried = Buffer.alloc(0);
    for (;;) {
      const buffer = Buffer.allocUnsafeSlow(carried.length + pieceBytes);
      carried.copy(buffer);
      const { bytesRead } = await handle.read(buffer, carried.length, pieceBytes, position);
      hash.update(buffer.subarray(carried.length, carried.length + bytesRead));
      const filled = carried.length + bytesRead;
      const start = position - carried.length;
      position += bytesRead;
      // A buffer ends after its last newline; the rest of the line starts the next one.
      const cut = bytesRead === 0 ? filled : buffer.lastIndexOf(0x0a, filled - 1) + 1;
      // Kept whole, not copied: the bytes past the cut are simply never read.
      if (cut > 0) {
        chunks.push(buffer.buffer as ArrayBuffer);
        offsets.push(start);
      }
      carried = Buffer.from(buffer.subarray(cut, filled));
      if (bytesRead === 0) break;
    }
  } catch {
    return 'other';
  } finally {
    await handle.close();
  }
  return { chunks, offsets: Float64Array.from(offsets), file: hash.file() };
}

/** A snapshot's size in bytes and its SHA-256 (hex): what an index of it names. */
export interface SnapshotFile {
  readonly bytes: number;
  readonly digest: string;
}

/** The buffers of a scan, to hand over rather than copy. */
export function transferablesOf(lines: ScannedLines): ArrayBuffer[] {
  return [...lines.chunks, ...[lines.offsets, lines.chunk, lines.start, lines.end].map((array) => array.buffer as ArrayBuffer)];
}

/** The size and SHA-256 of a snapshot, from its bytes in order. */
export class SnapshotHash {
  readonly #hash = createHash('sha256');
  #bytes = 0;

  update(bytes: Uint8Array): void {
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
  }

  file(): SnapshotFile {
    return { bytes: this.#bytes, digest: this.#hash.digest('hex') };
  }
}
