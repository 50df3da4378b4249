import { open, type FileHandle } from 'node:fs/promises';
import type { FastCheck } from './fast-check.ts';
import { LineIds } from './line-ids.ts';
import { streamJsonArray } from './parse-json-array.ts';
import type { SnapshotLineParts } from './snapshot-lines.ts';

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
 * reads the other collections.
 */
export async function scanSnapshot<T extends { id: string }>(path: string, check: FastCheck, each: (record: T, n: number) => void): Promise<SnapshotLineParts | 'missing' | 'other'> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'other';
  }
  const ids: string[] = [];
  const chunks: Buffer[] = [];
  const chunk: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let valid = true;
  try {
    const wrong = await streamJsonArray(handle, (value, buffer, from, to) => {
      if (!valid || !check(value)) {
        valid = false;
        return;
      }
      const record = value as T;
      if (chunks[chunks.length - 1]?.buffer !== buffer.buffer) chunks.push(buffer);
      each(record, ids.length);
      ids.push(record.id);
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
  // Two records with one id: the ordinary read words the problem.
  const lineIds = LineIds.build(ids);
  if (!lineIds) return 'other';
  return { chunks: chunks.map((buffer) => buffer.buffer as ArrayBuffer), chunk: Int32Array.from(chunk), start: Int32Array.from(start), end: Int32Array.from(end), ids: lineIds };
}

/** The buffers of a scan, to hand over rather than copy. */
export function transferablesOf(lines: SnapshotLineParts): ArrayBuffer[] {
  return [...lines.chunks, ...[lines.chunk, lines.start, lines.end, lines.ids.ends, lines.ids.slots].map((array) => array.buffer as ArrayBuffer)];
}
