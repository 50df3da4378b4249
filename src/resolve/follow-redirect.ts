import type { Customer } from '../domain/customer.ts';
import type { Store } from '../store/store.ts';

/** Further than any real chain of merges (A into B, later B into C); a loop written by hand stops here. */
const maxHops = 16;

/**
 * What a customer is now: itself, or the customer it was merged into,
 * following merges of merges. A redirect whose target is missing stays itself.
 */
export async function currentCustomer(store: Store, customer: Customer): Promise<Customer> {
  let current = customer;
  for (let hop = 0; hop < maxHops && current.mergedInto !== undefined; hop++) {
    const next = await store.customers.get(current.mergedInto);
    if (!next) break;
    current = next;
  }
  return current;
}

/** The customer with this id as it is now (see currentCustomer), or null for an unknown id. */
export async function currentCustomerById(store: Store, id: string): Promise<Customer | null> {
  const customer = await store.customers.get(id);
  return customer ? currentCustomer(store, customer) : null;
}

/** The note shown where an old reference led to the customer it was merged into. */
export function mergedNote(from: Customer, to: Customer): string {
  return `${from.name} was merged into ${to.name}.`;
}
