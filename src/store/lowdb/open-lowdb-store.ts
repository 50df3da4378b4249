import { mkdir } from 'node:fs/promises';
import { consoleLogger, type Logger } from '../../logger.ts';
import type { CollectionName, Store, StoredRecords } from '../store.ts';
import { defaultCompactionLimits, type CompactionLimits } from './collection.ts';
import { loadCollections, type Builders } from './load-collections.ts';
import { LowdbBlockRepo } from './lowdb-block-repo.ts';
import { LowdbCaseRepo } from './lowdb-case-repo.ts';
import { LowdbChannelLinkRepo } from './lowdb-channel-link-repo.ts';
import { LowdbContactRepo } from './lowdb-contact-repo.ts';
import { LowdbCustomerRepo } from './lowdb-customer-repo.ts';
import { LowdbDealRepo } from './lowdb-deal-repo.ts';
import { LowdbDigestLog } from './lowdb-digest-log.ts';
import { LowdbJobRunRepo } from './lowdb-job-run-repo.ts';
import { LowdbDeliveryLog } from './lowdb-delivery-log.ts';
import { LowdbInteractionRepo } from './lowdb-interaction-repo.ts';
import { LowdbMailboxRepo } from './lowdb-mailbox-repo.ts';
import { LowdbMemberRepo } from './lowdb-member-repo.ts';
import { LowdbPollRepo } from './lowdb-poll-repo.ts';
import { LowdbReminderRepo } from './lowdb-reminder-repo.ts';
import { LowdbSuggestionRepo } from './lowdb-suggestion-repo.ts';
import { acquireStoreLock, type StoreLock } from './store-lock.ts';

export interface LowdbStoreOptions {
  /** Where notes on what a crash left behind go (a torn journal line, say); the console by default. */
  readonly log?: Logger;
  /** When a journal is folded into its snapshot; tests make it small. */
  readonly compaction?: Partial<CompactionLimits>;
  /** From what size the interactions' snapshot is scanned by a worker thread and kept as its lines; tests make it 0. */
  readonly scanFromBytes?: number;
}

/**
 * Opens the JSON files in `dir` (created if missing) as a Store. Each
 * collection is a snapshot, `<name>.json`, and a journal of the changes since,
 * `<name>.journal`, folded into the snapshot in the background as it grows and
 * at close. Rejects with StoreLockedError if another guanxi has the folder,
 * and with StoreInvalidError, loading and changing nothing, if any record or
 * line of any file is not valid.
 */
export async function openLowdbStore(dir: string, options: LowdbStoreOptions = {}): Promise<Store> {
  await mkdir(dir, { recursive: true });
  // The lock comes first, so no other process is writing the files we read.
  const lock = await acquireStoreLock(dir);
  let loaded;
  try {
    // Each repo builds its indexes as soon as its collection is read, while the others are still being read.
    const limits = { ...defaultCompactionLimits, ...options.compaction };
    loaded = await loadCollections(dir, { log: options.log ?? consoleLogger, limits, scanFromBytes: options.scanFromBytes }, repos);
  } catch (error) {
    await lock.release();
    throw error;
  }
  const { collections, built } = loaded;
  let closing: Promise<void> | null = null;
  const running = new Set<string>();
  return {
    kind: 'lowdb',
    ...built,
    // One process owns the folder, so a job is running "anywhere" exactly when it runs here.
    async runOnce(name, work) {
      if (running.has(name)) return false;
      running.add(name);
      try {
        await work();
        return true;
      } finally {
        running.delete(name);
      }
    },
    async *records<K extends CollectionName>(name: K) {
      yield* collections[name].values() as Iterable<StoredRecords[K]>;
    },
    close() {
      closing ??= closeAll(Object.values(collections), lock);
      return closing;
    },
  };
}

/** The repo over each collection. */
const repos = {
  customers: (records) => new LowdbCustomerRepo(records),
  contacts: (records) => new LowdbContactRepo(records),
  interactions: (records) => new LowdbInteractionRepo(records),
  reminders: (records) => new LowdbReminderRepo(records),
  members: (records) => new LowdbMemberRepo(records),
  deliveries: (records) => new LowdbDeliveryLog(records),
  suggestions: (records) => new LowdbSuggestionRepo(records),
  blocks: (records) => new LowdbBlockRepo(records),
  channels: (records) => new LowdbChannelLinkRepo(records),
  mailboxes: (records) => new LowdbMailboxRepo(records),
  polls: (records) => new LowdbPollRepo(records),
  cases: (records) => new LowdbCaseRepo(records),
  deals: (records) => new LowdbDealRepo(records),
  jobRuns: (records) => new LowdbJobRunRepo(records),
  digests: (records) => new LowdbDigestLog(records),
} satisfies Builders;

/** Flushes and compacts every collection, then releases the lock even if one failed. */
async function closeAll(collections: readonly { close(): Promise<void> }[], lock: StoreLock): Promise<void> {
  const results = await Promise.allSettled(collections.map((collection) => collection.close()));
  await lock.release();
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
