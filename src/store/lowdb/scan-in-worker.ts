import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { InteractionIndexer, type IndexBatch, type InteractionIndex } from './interaction-index.ts';
import { LineIdsBuilder } from './line-ids.ts';
import type { ScanResult } from './scan-snapshot.ts';
import type { ScannedLines } from './snapshot-lines.ts';

type Message = { batch: IndexBatch; ids: { text: string; ends: Int32Array } } | { done: ScannedLines | 'missing' | 'other' };

/** Below this, a snapshot is read faster here than a worker thread takes to start. */
export const defaultScanFromBytes = 8 * 1024 * 1024;

/**
 * Scans the interactions' snapshot at `path` in a worker thread, so that it
 * is read and checked on a second core while this thread reads the other
 * collections, and indexes what the worker posts as it goes: the reading
 * takes longer than the rest, so this thread takes every part it can. A snapshot
 * smaller than `fromBytes`, or anything going wrong there (even the worker
 * failing to start), is `other`: the caller then reads the file here, the
 * ordinary way.
 */
export async function scanInWorker(path: string, fromBytes: number = defaultScanFromBytes): Promise<ScanResult<InteractionIndex>> {
  const size = await stat(path).then(
    (stats) => stats.size,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : -1),
  );
  if (size === null) return 'missing';
  if (size < fromBytes) return 'other';
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { workerData: { path } });
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
      if (typeof message.done === 'string') return resolve(message.done);
      // Two records with one id: the ordinary read words the problem.
      const lineIds = ids.finish();
      resolve(lineIds ? { lines: { ...message.done, ids: lineIds }, index: indexer.finish() } : 'other');
    });
    worker.once('error', () => resolve('other'));
    worker.once('exit', () => resolve('other'));
  });
}
