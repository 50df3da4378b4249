import type { Customer } from '../domain/customer.ts';
import type { Member } from '../domain/member.ts';
import type { Store } from '../store/store.ts';

/** Whose work a digest covers, and their customers. */
export interface DigestScope {
  /** The reader first, then the people whose work they read about. */
  members: Member[];
  customers: Customer[];
  /** A manager's digest, rather than a rep's own brief. */
  manager: boolean;
}

/**
 * A rep's brief covers their own accounts. A manager's or an admin's digest
 * covers the people who report to them and their accounts, and their own; one
 * with nobody reporting to them (a small team's admin) reads about the whole
 * team and every customer.
 */
export async function digestScope(store: Store, reader: Member): Promise<DigestScope> {
  if (reader.role === 'rep') return { members: [reader], customers: live(await store.customers.ownedBy(reader.id)), manager: false };
  const everyone = (await store.members.list()).filter((member) => !member.id.startsWith('terminal:'));
  const reports = everyone.filter((member) => member.managerId === reader.id && member.id !== reader.id);
  if (reports.length === 0) {
    return { members: [reader, ...everyone.filter((member) => member.id !== reader.id)], customers: live(await store.customers.list()), manager: true };
  }
  const members = [reader, ...reports];
  const customers: Customer[] = [];
  for (const member of members) for (const customer of await store.customers.ownedBy(member.id)) customers.push(customer);
  return { members, customers: live(customers), manager: true };
}

/** Merged customers live on in the one they were merged into. */
function live(customers: Customer[]): Customer[] {
  return customers.filter((customer) => customer.mergedInto === undefined);
}
