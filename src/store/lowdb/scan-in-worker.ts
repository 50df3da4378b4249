import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { InteractionIndexer, type IndexBatch, type InteractionIndex } from './interaction-index.ts';
import { LineIdsBuilder } from './line-ids.ts';
import type { ScanResult } from './scan-snapshot.ts';
import { decodeSnapshotIndex, linesOfIndex, type IndexTarget } from './snapshot-index.ts';
import type { ScannedLines } from './snapshot-lines.ts';

type Message =
  | { batch: IndexBatch; ids: { text: string; ends: Int32Array } }
  | { done: ScannedLines | 'missing' | 'other' }
  | { indexed: { chunks: ArrayBuffer[]; offsets: Float64Array; index: ArrayBuffer } }
  | { saved: true }
  | { failed: string };

/** Below this, a snapshot is read faster here than a worker thread takes to start. */
export const defaultScanFromBytes = 8 * 1024 * 1024;

/**
 * Reads the interactions' snapshot at `path` in a worker thread, so that it
 * is read on a second core while this thread reads the other collections.
 * If `indexPath` holds the index of this very snapshot (see SnapshotIndex),
 * the worker only reads the file's bytes and the index. Otherwise it scans
 * and checks every record, and this thread indexes what it posts as it goes
 * (the reading takes longer than the rest, so this thread takes every part
 * it can); the result's `save` then has the worker build the index of what
 * it found and save it beside the snapshot. A snapshot
 * smaller than `fromBytes`, or anything going wrong there (even the worker
 * failing to start), is `other`: the caller then reads the file here, the
 * ordinary way.
 */
export async function scanInWorker(path: string, indexPath: string, fromBytes: number = defaultScanFromBytes): Promise<ScanResult<InteractionIndex>> {
  const size = await stat(path).then(
    (stats) => stats.size,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : -1),
  );
  if (size === null) return 'missing';
  if (size < fromBytes) return 'other';
  const target: IndexTarget = { snapshotPath: path, indexPath, fromBytes };
  const read = await inWorker(target, true);
  if (read !== 'inconsistent') return read;
  // An index that belongs to the snapshot but does not hold together is replaced by a scan's.
  const scanned = await inWorker(target, false);
  return scanned === 'inconsistent' ? 'other' : scanned;
}

function inWorker(target: IndexTarget, useIndex: boolean): Promise<ScanResult<InteractionIndex> | 'inconsistent'> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { workerData: { ...target, useIndex } });
    } catch {
      resolve('other');
      return;
    }
    const indexer = new InteractionIndexer();
    const ids = new LineIdsBuilder();
    let saved: (result: Error | null) => void = () => {};
    const save = new Promise<void>((resolve, reject) => {
      saved = (error) => (error ? reject(error) : resolve());
    });
    // Awaited by whoever saves the index; nobody does if the store fails to open.
    save.catch(() => undefined);
    worker.on('message', (message: Message) => {
      if ('saved' in message) return saved(null);
      if ('failed' in message) return saved(new Error(message.failed));
      if ('batch' in message) {
        indexer.add(message.batch);
        ids.add(message.ids.text, message.ids.ends);
        return;
      }
      if ('indexed' in message) {
        const { chunks, offsets, index } = message.indexed;
        const stored = decodeSnapshotIndex(Buffer.from(index));
        const lines = stored && linesOfIndex(stored, chunks, offsets);
        return resolve(stored && lines ? { lines, index: stored.index, save: null } : 'inconsistent');
      }
      if (typeof message.done === 'string') return resolve(message.done);
      // Two records with one id: the ordinary read words the problem.
      const lineIds = ids.finish();
      if (!lineIds) return resolve('other');
      // Waiting to be asked to save, the worker must not keep the process alive.
      worker.unref();
      const askToSave = () => {
        worker.ref();
        worker.postMessage({ save: true });
        return save;
      };
      resolve({ lines: { ...message.done, ids: lineIds }, index: indexer.finish(), save: askToSave });
    });
    worker.once('error', (error) => {
      saved(error);
      resolve('other');
    });
    worker.once('exit', (code) => {
      saved(new Error(`the scanning worker stopped (exit code ${code}) before saving the index`));
      resolve('other');
    });
  });
}
