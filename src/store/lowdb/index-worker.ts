import { parentPort, workerData } from 'node:worker_threads';
import { SnapshotHash } from './scan-snapshot.ts';
import { IndexSaver, type IndexPart, type IndexTarget } from './snapshot-index.ts';

/**
 * A worker thread that builds the index of a snapshot being written, from
 * the parts IndexWriter posts as the records go out ({ batch, ids, places }),
 * hashing the snapshot's bytes as they are written ({ bytes }), and saves it
 * once told the snapshot is on disk ({ save }); then posts
 * { saved } or { failed } and ends. Started with the IndexTarget.
 */
const target = workerData as IndexTarget;
const port = parentPort!;
const saver = new IndexSaver();
const hash = new SnapshotHash();
port.on('message', (message: IndexPart | { bytes: Uint8Array } | { save: true }) => {
  if ('bytes' in message) return hash.update(message.bytes);
  if (!('save' in message)) return saver.add(message);
  saver
    .save(target, hash.file())
    .then(
      () => port.postMessage({ saved: true }),
      (error: unknown) => port.postMessage({ failed: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => port.close());
});
