import { readFile, stat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { interactionSchema, type Interaction } from '../../domain/interaction.ts';
import { compileFastCheck } from './fast-check.ts';
import { GrowingColumn } from './growing-column.ts';
import { IndexBatcher } from './interaction-index.ts';
import { readSnapshotBytes, scanSnapshot, transferablesOf } from './scan-snapshot.ts';
import { IndexSaver, indexBelongsTo, indexedSize, placesOfLines, type IndexPart, type IndexTarget } from './snapshot-index.ts';

/** Interactions per batch posted: often enough to keep the main thread busy, seldom enough to cost nothing. */
const batchSize = 50_000;

/**
 * A worker thread that reads the interactions' snapshot for scanInWorker,
 * started with the IndexTarget and `useIndex`. With `useIndex`, it first
 * reads the snapshot's bytes and its index (see SnapshotIndex): if the index
 * belongs to the snapshot, it posts both ({ indexed }) and is done.
 * Otherwise it scans the snapshot (see scanSnapshot): it posts what the
 * indexes need and the lines' ids in batches as it goes ({ batch, ids }),
 * then where the lines are, or why there are none ({ done }); and then, when
 * asked ({ save }), builds the index of what it found and saves it beside
 * the snapshot ({ saved } or { failed }). Buffers are handed over, not
 * copied.
 */
const { useIndex, ...target } = workerData as IndexTarget & { useIndex: boolean };
const port = parentPort!;

if (!(useIndex && (await postIndexed()))) await scan();

/** Posts the snapshot's bytes and its index, if the index belongs to it. */
async function postIndexed(): Promise<boolean> {
  // Most indexes that do not belong (none there, or one of an older snapshot) show it before the snapshot is read.
  const [indexBytes, size] = await Promise.all([readFile(target.indexPath).catch(() => null), stat(target.snapshotPath).then((stats) => stats.size, () => -1)]);
  if (indexBytes === null || indexedSize(indexBytes) !== size) return false;
  const bytes = await readSnapshotBytes(target.snapshotPath);
  if (typeof bytes === 'string' || !indexBelongsTo(indexBytes, bytes.file)) return false;
  const own = indexBytes.buffer.slice(indexBytes.byteOffset, indexBytes.byteOffset + indexBytes.length) as ArrayBuffer;
  port.postMessage({ indexed: { ...bytes, index: own } }, [...bytes.chunks, bytes.offsets.buffer as ArrayBuffer, own]);
  return true;
}

/** Scans the snapshot, posting as it goes, then saves its index. */
async function scan(): Promise<void> {
  const batcher = new IndexBatcher();
  // What was posted, kept to build the index from once the reader is served.
  const kept: Omit<IndexPart, 'places'>[] = [];
  let ids: string[] = [];
  let ends = new GrowingColumn((n) => new Int32Array(n));
  let length = 0;
  const post = () => {
    const batch = batcher.take();
    const idEnds = ends.take();
    const text = ids.join('');
    kept.push({ batch: { ...batch, customerEnds: batch.customerEnds.slice(), occurred: batch.occurred.slice(), logged: batch.logged.slice() }, ids: { text, ends: idEnds.slice() } });
    port.postMessage({ batch, ids: { text, ends: idEnds } }, [
      batch.customerEnds.buffer as ArrayBuffer,
      batch.occurred.buffer as ArrayBuffer,
      batch.logged.buffer as ArrayBuffer,
      idEnds.buffer as ArrayBuffer,
    ]);
    ids = [];
    ends = new GrowingColumn((n) => new Int32Array(n));
    length = 0;
  };
  const result = await scanSnapshot<Interaction>(target.snapshotPath, compileFastCheck(interactionSchema), (interaction, n) => {
    batcher.add(interaction, n);
    ids.push(interaction.id);
    ends.push((length += interaction.id.length));
    if (batcher.size === batchSize) post();
  });
  if (typeof result !== 'string' && batcher.size > 0) post();
  const places = typeof result === 'string' ? null : placesOfLines(result);
  port.postMessage({ done: result }, typeof result === 'string' ? [] : transferablesOf(result));
  if (!places) return;
  // The index is built once asked ({ save }): when the store is open, not while it is still loading.
  await new Promise((resolve) => port.once('message', resolve));
  const saver = new IndexSaver();
  for (const part of kept) {
    const { first } = part.batch;
    const to = first + part.batch.customerEnds.length;
    saver.add({ ...part, places: { lineStarts: places.lineStarts.subarray(first, to), jsonEnds: places.jsonEnds.subarray(first, to) } });
  }
  try {
    await saver.save(target);
    port.postMessage({ saved: true });
  } catch (error) {
    port.postMessage({ failed: error instanceof Error ? error.message : String(error) });
  }
}
