import type { CollectionName, Store, StoredRecords } from '../store.ts';
import { collectionNames } from '../store.ts';
import type { PostgresStore } from './open-postgres-store.ts';

export interface CollectionCount {
  readonly collection: CollectionName;
  /** Records read from the source store. */
  readonly source: number;
  /** Records the PostgreSQL database holds once the copy is done. */
  readonly target: number;
}

export interface CopyOptions {
  /** Records written per statement and transaction. */
  readonly batchSize?: number;
  /** Told after each collection is copied. */
  readonly onCopied?: (collection: CollectionName, records: number) => void;
}

const defaultBatchSize = 1000;

/** What the target holds, when it holds anything: "3 customers, 12 interactions"; null when it is empty. */
export async function describeContents(target: PostgresStore): Promise<string | null> {
  const held: string[] = [];
  for (const collection of collectionNames) {
    const count = await target.count(collection);
    if (count > 0) held.push(`${count} ${collection}`);
  }
  return held.length > 0 ? held.join(', ') : null;
}

/**
 * Copies every collection of `source` into `target`, in batches, then counts
 * what the target holds. Records are written as they are (ids, instants,
 * unlinked interactions, delivered reminders), each validated on the way.
 * The caller compares the counts; a failed batch rejects, leaving the batches
 * before it in the target.
 */
export async function copyStore(source: Store, target: PostgresStore, options: CopyOptions = {}): Promise<CollectionCount[]> {
  const batchSize = options.batchSize ?? defaultBatchSize;
  const counts: CollectionCount[] = [];
  for (const collection of collectionNames) {
    const copied = await copyCollection(source, target, collection, batchSize);
    options.onCopied?.(collection, copied);
    counts.push({ collection, source: copied, target: await target.count(collection) });
  }
  return counts;
}

async function copyCollection<K extends CollectionName>(source: Store, target: PostgresStore, collection: K, batchSize: number): Promise<number> {
  let batch: StoredRecords[K][] = [];
  let copied = 0;
  for await (const record of source.records(collection)) {
    batch.push(record);
    copied++;
    if (batch.length >= batchSize) {
      await target.importRecords(collection, batch);
      batch = [];
    }
  }
  await target.importRecords(collection, batch);
  return copied;
}
