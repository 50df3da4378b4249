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
  /** Records between two reports of a collection still being copied. */
  readonly progressEvery?: number;
  /** Told every `progressEvery` records of a collection (`done` false), and once it is copied (`done` true). */
  readonly onCopied?: (collection: CollectionName, records: number, done: boolean) => void;
}

/** A copy that failed part-way: the batches before the failing one are in the target. */
export class CopyStopped extends Error {
  readonly collection: CollectionName;
  /** Records of `collection` in the target: the batches written before the one that failed. */
  readonly written: number;
  /** What the database said. */
  readonly reason: string;

  constructor(collection: CollectionName, written: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`copying ${collection} stopped after ${written} records: ${reason}`, { cause });
    this.collection = collection;
    this.written = written;
    this.reason = reason;
  }
}

const defaultBatchSize = 1000;
const defaultProgressEvery = 100_000;

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
 * Then it gathers the planner's statistics, as PostgreSQL advises after a
 * bulk load. The caller compares the counts; a failed batch rejects with
 * `CopyStopped`, leaving the batches before it in the target.
 */
export async function copyStore(source: Store, target: PostgresStore, options: CopyOptions = {}): Promise<CollectionCount[]> {
  const counts: CollectionCount[] = [];
  for (const collection of collectionNames) {
    const copied = await copyCollection(source, target, collection, options);
    options.onCopied?.(collection, copied, true);
    counts.push({ collection, source: copied, target: await target.count(collection) });
  }
  await target.analyze();
  return counts;
}

async function copyCollection<K extends CollectionName>(source: Store, target: PostgresStore, collection: K, options: CopyOptions): Promise<number> {
  const batchSize = options.batchSize ?? defaultBatchSize;
  const progressEvery = options.progressEvery ?? defaultProgressEvery;
  let batch: StoredRecords[K][] = [];
  let written = 0;
  let reported = 0;
  const write = async () => {
    try {
      await target.importRecords(collection, batch);
    } catch (error) {
      throw new CopyStopped(collection, written, error);
    }
    written += batch.length;
    batch = [];
  };
  for await (const record of source.records(collection)) {
    // Reported only while more records follow, so the last report is the total.
    if (written - reported >= progressEvery) {
      reported = written;
      options.onCopied?.(collection, written, false);
    }
    batch.push(record);
    if (batch.length >= batchSize) await write();
  }
  await write();
  return written;
}
