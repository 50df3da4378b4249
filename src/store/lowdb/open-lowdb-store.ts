import { mkdir } from 'node:fs/promises';
import { consoleLogger, type Logger } from '../../logger.ts';
import type { Store } from '../store.ts';
import { defaultCompactionLimits, type CompactionLimits } from './collection.ts';
import { loadCollections } from './load-collections.ts';
import { LowdbBlockRepo } from './lowdb-block-repo.ts';
import { LowdbChannelLinkRepo } from './lowdb-channel-link-repo.ts';
import { LowdbContactRepo } from './lowdb-contact-repo.ts';
import { LowdbCustomerRepo } from './lowdb-customer-repo.ts';
import { LowdbDeliveryLog } from './lowdb-delivery-log.ts';
import { LowdbInteractionRepo } from './lowdb-interaction-repo.ts';
import { LowdbMailboxRepo } from './lowdb-mailbox-repo.ts';
import { LowdbMemberRepo } from './lowdb-member-repo.ts';
import { LowdbReminderRepo } from './lowdb-reminder-repo.ts';
import { LowdbSuggestionRepo } from './lowdb-suggestion-repo.ts';
import { acquireStoreLock, type StoreLock } from './store-lock.ts';

export interface LowdbStoreOptions {
  /** Where notes on what a crash left behind go (a torn journal line, say); the console by default. */
  readonly log?: Logger;
  /** When a journal is folded into its snapshot; tests make it small. */
  readonly compaction?: Partial<CompactionLimits>;
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
  let collections;
  try {
    collections = await loadCollections(dir, {
      log: options.log ?? consoleLogger,
      limits: { ...defaultCompactionLimits, ...options.compaction },
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    kind: 'lowdb',
    customers: new LowdbCustomerRepo(collections.customers),
    contacts: new LowdbContactRepo(collections.contacts),
    interactions: new LowdbInteractionRepo(collections.interactions),
    reminders: new LowdbReminderRepo(collections.reminders),
    members: new LowdbMemberRepo(collections.members),
    deliveries: new LowdbDeliveryLog(collections.deliveries),
    suggestions: new LowdbSuggestionRepo(collections.suggestions),
    blocks: new LowdbBlockRepo(collections.blocks),
    channels: new LowdbChannelLinkRepo(collections.channels),
    mailboxes: new LowdbMailboxRepo(collections.mailboxes),
    close() {
      closing ??= closeAll(Object.values(collections), lock);
      return closing;
    },
  };
}

/** Flushes and compacts every collection, then releases the lock even if one failed. */
async function closeAll(collections: readonly { close(): Promise<void> }[], lock: StoreLock): Promise<void> {
  const results = await Promise.allSettled(collections.map((collection) => collection.close()));
  await lock.release();
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
