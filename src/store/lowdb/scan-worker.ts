import { readFile, stat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { interactionSchema, type Interaction } from '../../domain/interaction.ts';
import { compileFastCheck } from './fast-check.ts';
import { GrowingColumn } from './growing-column.ts';
import { IndexBatcher } from './interaction-index.ts';
import { readSnapshotBytes, scanSnapshot, transferablesOf } from './scan-snapshot.ts';
import { indexBelongsTo, indexedSize } from './snapshot-index.ts';

/** Interactions per batch posted: often enough to keep the main thread busy, seldom enough to cost nothing. */
const batchSize = 50_000;

/**
 * A worker thread that reads the interactions' snapshot for scanInWorker,
 * started with `{ snapshotPath, indexPath }`. With an `indexPath`, it first
 * reads the snapshot's bytes and its index (see SnapshotIndex): if the index
 * belongs to the snapshot, it posts both ({ indexed }) and is done.
 * Otherwise it scans the snapshot (see scanSnapshot): it posts what the
 * indexes need and the lines' ids in batches as it goes ({ batch, ids }),
 * then where the lines are, or why there are none ({ done }). Buffers are
 * handed over, not copied.
 */
const { snapshotPath, indexPath } = workerData as { snapshotPath: string; indexPath: string | null };
const port = parentPort!;

if (!(indexPath !== null && (await postIndexed(indexPath)))) await scan();

/** Posts the snapshot's bytes and its index, if the index belongs to it. */
async function postIndexed(indexPath: string): Promise<boolean> {
  // Most indexes that do not belong (none there, or one of an older snapshot) show it before the snapshot is read.
  const [indexBytes, size] = await Promise.all([readFile(indexPath).catch(() => null), stat(snapshotPath).then((stats) => stats.size, () => -1)]);
  if (indexBytes === null || indexedSize(indexBytes) !== size) return false;
  const bytes = await readSnapshotBytes(snapshotPath);
  if (typeof bytes === 'string' || !indexBelongsTo(indexBytes, bytes.file)) return false;
  const own = indexBytes.buffer.slice(indexBytes.byteOffset, indexBytes.byteOffset + indexBytes.length) as ArrayBuffer;
  port.postMessage({ indexed: { ...bytes, index: own } }, [...bytes.chunks, bytes.offsets.buffer as ArrayBuffer, own]);
  return true;
}

/** Scans the snapshot, posting as it goes. */
async function scan(): Promise<void> {
  const batcher = new IndexBatcher();
  let ids: string[] = [];
  let ends = new GrowingColumn((n) => new Int32Array(n));
  let length = 0;
  const post = () => {
    const batch = batcher.take();
    const idEnds = ends.take();
    port.postMessage({ batch, ids: { text: ids.join(''), ends: idEnds } }, [
      batch.customerEnds.buffer as ArrayBuffer,
      batch.occurred.buffer as ArrayBuffer,
      batch.logged.buffer as ArrayBuffer,
      idEnds.buffer as ArrayBuffer,
    ]);
    ids = [];
    ends = new GrowingColumn((n) => new Int32Array(n));
    length = 0;
  };
  const result = await scanSnapshot<Interaction>(snapshotPath, compileFastCheck(interactionSchema), (interaction, n) => {
    batcher.add(interaction, n);
    ids.push(interaction.id);
    ends.push((length += interaction.id.length));
    if (batcher.size === batchSize) post();
  });
  if (typeof result !== 'string' && batcher.size > 0) post();
  port.postMessage({ done: result }, typeof result === 'string' ? [] : transferablesOf(result));
}
