import { parentPort, workerData } from 'node:worker_threads';
import { interactionSchema, type Interaction } from '../../domain/interaction.ts';
import { compileFastCheck } from './fast-check.ts';
import { IndexBatcher } from './interaction-index.ts';
import { scanSnapshot, transferablesOf } from './scan-snapshot.ts';

/** Interactions per batch posted: often enough to keep the main thread busy, seldom enough to cost nothing. */
const batchSize = 50_000;

/**
 * A worker thread that scans the interactions' snapshot (see scanSnapshot):
 * it posts what the indexes need in batches as it goes ({ batch }), then the
 * lines, or why there are none ({ done }), handing over its buffers rather
 * than copying them. Started by scanInWorker with `{ path }`.
 */
const { path } = workerData as { path: string };
const port = parentPort!;
const batcher = new IndexBatcher();
const post = () => {
  const batch = batcher.take();
  port.postMessage({ batch }, [batch.occurred.buffer as ArrayBuffer, batch.logged.buffer as ArrayBuffer]);
};
const result = await scanSnapshot<Interaction>(path, compileFastCheck(interactionSchema), (interaction, n) => {
  batcher.add(interaction, n);
  if (batcher.size === batchSize) post();
});
if (typeof result !== 'string' && batcher.size > 0) post();
port.postMessage({ done: result }, typeof result === 'string' ? [] : transferablesOf(result));
