import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { InteractionIndexer, type IndexBatch, type InteractionIndex } from './interaction-index.ts';
import { LineIdsBuilder } from './line-ids.ts';
import type { ScanResult } from './scan-snapshot.ts';
import { decodeSnapshotIndex, linesOfIndex } from './snapshot-index.ts';
import type { ScannedLines } from './snapshot-lines.ts';

type Message =
  | { batch: IndexBatch; ids: { text: string; ends: Int32Array } }
  | { done: ScannedLines | 'missing' | 'other' }
  | { indexed: { chunks: ArrayBuffer[]; offsets: Float64Array; index: ArrayBuffer } };

/** Below this, a snapshot is read faster here than a worker thread takes to start. */
export const defaultScanFromBytes = 8 * 1024 * 1024;

/**
 * Reads the interactions' snapshot at `path` in a worker thread, so that it
 * is read on a second core while this thread reads the other collections.
 * If `indexPath` holds the index of this very snapshot (see SnapshotIndex),
 * the worker only reads the file's bytes and the index. Otherwise it scans
 * and checks every record, and this thread indexes what it posts as it goes
 * (the reading takes longer than the rest, so this thread takes every part
 * it can). A snapshot smaller than `fromBytes`, or anything going wrong
 * there (even the worker failing to start), is `other`: the caller then
 * reads the file here, the ordinary way.
 */
export async function scanInWorker(path: string, indexPath: string, fromBytes: number = defaultScanFromBytes): Promise<ScanResult<InteractionIndex>> {
  const size = await stat(path).then(
    (stats) => stats.size,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : -1),
  );
  if (size === null) return 'missing';
  if (size < fromBytes) return 'other';
  const read = await inWorker(path, indexPath);
  if (read !== 'inconsistent') return read;
  // An index that belongs to the snapshot but does not hold together: the snapshot is scanned, and the next one written replaces it.
  const scanned = await inWorker(path, null);
  return scanned === 'inconsistent' ? 'other' : scanned;
}

function inWorker(snapshotPath: string, indexPath: string | null): Promise<ScanResult<InteractionIndex> | 'inconsistent'> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { workerData: { snapshotPath, indexPath } });
    } catch {
      resolve('other');
      return;
    }
    const indexer = new InteractionIndexer();
    const ids = new LineIdsBuilder();
    worker.on('message', (message: Message) => {
      if ('batch' in message) {
        indexer.add(message.batch);
        ids.add(message.ids.text, message.ids.ends);
        return;
      }
      if ('indexed' in message) {
        const { chunks, offsets, index } = message.indexed;
        const stored = decodeSnapshotIndex(Buffer.from(index));
        const lines = stored && linesOfIndex(stored, chunks, offsets);
        return resolve(stored && lines ? { lines, index: stored.index, from: 'index' } : 'inconsistent');
      }
      if (typeof message.done === 'string') return resolve(message.done);
      // Two records with one id: the ordinary read words the problem.
      const lineIds = ids.finish();
      resolve(lineIds ? { lines: { ...message.done, ids: lineIds }, index: indexer.finish(), from: 'scan' } : 'other');
    });
    worker.once('error', () => resolve('other'));
    worker.once('exit', () => resolve('other'));
  });
}
