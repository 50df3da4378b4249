import { breathe } from '../breathe.ts';
import type { Customer } from '../domain/customer.ts';
import type { Store } from '../store/store.ts';
import { findDuplicates, type Duplicates } from './find-duplicates.ts';

/** The suspected duplicates among the store's customers, the first `limit` in full; a merged customer is already dealt with and is left out. */
export async function suspectedDuplicates(store: Store, limit: number): Promise<Duplicates> {
  const customers: Customer[] = [];
  let read = 0;
  for await (const customer of store.records('customers')) {
    // A hundred thousand customers are read in turns, as the search over them runs (find-duplicates.ts).
    if (++read % 10_000 === 0) await breathe();
    if (customer.mergedInto === undefined) customers.push(customer);
  }
  return findDuplicates({ customers, contacts: await store.contacts.addresses() }, limit);
}
