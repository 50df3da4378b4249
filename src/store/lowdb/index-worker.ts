import { parentPort, workerData } from 'node:worker_threads';
import type { SnapshotFile } from './scan-snapshot.ts';
import { IndexSaver, type IndexPart, type IndexTarget } from './snapshot-index.ts';

/**
 * A worker thread that builds the index of a snapshot being written, from
 * the parts IndexWriter posts as the records go out ({ batch, ids, places }),
 * and saves it once told the snapshot is on disk, with its size and hash
 * ({ save }); then posts
 * { saved } or { failed } and ends. Started with the IndexTarget.
 */
const target = workerData as IndexTarget;
const port = parentPort!;
const saver = new IndexSaver();
port.on('message', (message: IndexPart | { save: SnapshotFile }) => {
  if (!('save' in message)) return saver.add(message);
  saver
    .save(target, message.save)
    .then(
      () => port.postMessage({ saved: true }),
      (error: unknown) => port.postMessage({ failed: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => port.close());
});
