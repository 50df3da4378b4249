import { mkdir } from 'node:fs/promises';
import type { Store } from '../store.ts';
import { loadCollections } from './load-collections.ts';
import { LowdbContactRepo } from './lowdb-contact-repo.ts';
import { LowdbCustomerRepo } from './lowdb-customer-repo.ts';
import { LowdbDeliveryLog } from './lowdb-delivery-log.ts';
import { LowdbInteractionRepo } from './lowdb-interaction-repo.ts';
import { LowdbMemberRepo } from './lowdb-member-repo.ts';
import { LowdbReminderRepo } from './lowdb-reminder-repo.ts';
import { acquireStoreLock, type StoreLock } from './store-lock.ts';

/**
 * Opens the JSON files in `dir` (created if missing) as a Store, one file per
 * collection. Rejects with StoreLockedError if another guanxi has the folder,
 * and with StoreInvalidError, loading and changing nothing, if any record of
 * any file is not valid.
 */
export async function openLowdbStore(dir: string): Promise<Store> {
  await mkdir(dir, { recursive: true });
  // The lock comes first, so no other process is writing the files we read.
  const lock = await acquireStoreLock(dir);
  let collections;
  try {
    collections = await loadCollections(dir);
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
    close() {
      closing ??= closeAll(Object.values(collections), lock);
      return closing;
    },
  };
}

/** Flushes every file, then releases the lock even if a flush failed. */
async function closeAll(collections: readonly { close(): Promise<void> }[], lock: StoreLock): Promise<void> {
  const results = await Promise.allSettled(collections.map((collection) => collection.close()));
  await lock.release();
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
