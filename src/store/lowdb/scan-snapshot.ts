import { open, type FileHandle } from 'node:fs/promises';
import type { FastCheck } from './fast-check.ts';
import { GrowingColumn } from './growing-column.ts';
import { streamJsonArray } from './parse-json-array.ts';
import type { ScannedLines, SnapshotLineParts } from './snapshot-lines.ts';

/** A snapshot exactly as the store writes it, every record valid as it is: its lines, and the indexes built over them. */
export interface ScannedSnapshot<X> {
  readonly lines: SnapshotLineParts;
  readonly index: X;
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
  const chunk = new GrowingColumn((n) => new Int32Array(n));
  const start = new GrowingColumn((n) => new Int32Array(n));
  const end = new GrowingColumn((n) => new Int32Array(n));
  let valid = true;
  try {
    const wrong = await streamJsonArray(handle, (value, buffer, from, to) => {
      if (!valid || !check(value)) {
        valid = false;
        return;
      }
      const record = value as T;
      if (chunks[chunks.length - 1]?.buffer !== buffer.buffer) chunks.push(buffer);
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
  return { chunks: chunks.map((buffer) => buffer.buffer as ArrayBuffer), chunk: chunk.take(), start: start.take(), end: end.take() };
}

/** The buffers of a scan, to hand over rather than copy. */
export function transferablesOf(lines: ScannedLines): ArrayBuffer[] {
  return [...lines.chunks, ...[lines.chunk, lines.start, lines.end].map((array) => array.buffer as ArrayBuffer)];
}
