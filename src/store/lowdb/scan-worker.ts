import { parentPort, workerData } from 'node:worker_threads';
import { interactionSchema, type Interaction } from '../../domain/interaction.ts';
import { compileFastCheck } from './fast-check.ts';
import { GrowingColumn } from './growing-column.ts';
import { IndexBatcher } from './interaction-index.ts';
import { scanSnapshot, transferablesOf } from './scan-snapshot.ts';

/** Interactions per batch posted: often enough to keep the main thread busy, seldom enough to cost nothing. */
const batchSize = 50_000;

/**
 * A worker thread that scans the interactions' snapshot (see scanSnapshot):
 * it posts what the indexes need and the lines' ids in batches as it goes
 * ({ batch, ids }), then where the lines are, or why there are none
 * ({ done }), handing over its buffers rather than copying them. Started by
 * scanInWorker with `{ path }`.
 */
const { path } = workerData as { path: string };
const port = parentPort!;
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
const result = await scanSnapshot<Interaction>(path, compileFastCheck(interactionSchema), (interaction, n) => {
  batcher.add(interaction, n);
  ids.push(interaction.id);
  ends.push((length += interaction.id.length));
  if (batcher.size === batchSize) post();
});
if (typeof result !== 'string' && batcher.size > 0) post();
port.postMessage({ done: result }, typeof result === 'string' ? [] : transferablesOf(result));
