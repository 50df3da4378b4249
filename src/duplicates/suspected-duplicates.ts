import type { Store } from '../store/store.ts';
import { findDuplicates, type Duplicates } from './find-duplicates.ts';

/** The suspected duplicates among the store's customers, the first `limit` in full; a merged customer is already dealt with and is left out. */
export async function suspectedDuplicates(store: Store, limit: number): Promise<Duplicates> {
  return findDuplicates({ customers: await store.customers.names(), contacts: await store.contacts.addresses() }, limit);
}
