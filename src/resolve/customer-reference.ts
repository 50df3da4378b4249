import type { Customer } from '../domain/customer.ts';
import { NotFoundError, UserInputError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { closest } from './closest.ts';
import { currentCustomer } from './follow-redirect.ts';

/** Customers, and contacts, a search reads at most: the best matches. */
const searchLimit = 25;

export type Lookup =
  /** `mergedFrom`: the reference named a customer since merged into `customer`. */
  | { kind: 'one'; customer: Customer; via: string | null; mergedFrom?: Customer }
  /**
   * `via`: why a customer found through one of its contacts is here, by
   * customer id. `partial`: there are more than these, the best matches.
   */
  | { kind: 'several'; customers: Customer[]; via: ReadonlyMap<string, string>; partial: boolean }
  | { kind: 'none'; suggestions: Customer[] };

/**
 * Finds what a user meant by `reference`: an id, a domain, a contact's address,
 * a customer's name (whole, then its beginning, then any part), a contact's
 * name; failing all, the closest names for "did you mean".
 */
export async function lookupCustomer(store: Store, reference: string): Promise<Lookup> {
  const typed = reference.trim();
  const exact = await exactCustomer(store, typed);
  if (exact) return exact;
  const named = await current(store, await store.customers.byName(typed));
  if (named.length > 1) return { kind: 'several', customers: named, via: new Map(), partial: false };

  const found = await store.customers.search(typed, searchLimit);
  const viaContacts = await customersOfContacts(store, typed, found);
  const matches = [...found, ...viaContacts.customers];
  const partial = found.length === searchLimit || viaContacts.partial;
  if (matches.length === 1) return { kind: 'one', customer: matches[0]!, via: viaContacts.via.get(matches[0]!.id) ?? null };
  if (matches.length > 1) return { kind: 'several', customers: matches, via: viaContacts.via, partial };

  const closeNames = await closest(typed, await store.customers.names(), (c) => [c.name, ...c.domains.map((d) => d.split('.')[0]!)]);
  const suggestions = await Promise.all(closeNames.map((c) => store.customers.get(c.id)));
  return { kind: 'none', suggestions: suggestions.filter((customer) => customer !== null) };
}

/**
 * A customer named exactly: by id, a contact's address, a domain (or a parent
 * of it), or its whole name. A customer since merged leads to the one it was
 * merged into.
 */
export async function exactCustomer(store: Store, reference: string): Promise<Extract<Lookup, { kind: 'one' }> | null> {
  const found = await exactRecord(store, reference);
  if (!found) return null;
  const customer = await currentCustomer(store, found.customer);
  return customer === found.customer ? found : { ...found, customer, mergedFrom: found.customer };
}

async function exactRecord(store: Store, reference: string): Promise<Extract<Lookup, { kind: 'one' }> | null> {
  const typed = reference.trim();
  const lower = typed.toLowerCase();
  // Buttons carry ids (cus_…); a name typed is not looked up as one.
  const byId = typed.startsWith('cus_') ? await store.customers.get(typed) : null;
  if (byId) return { kind: 'one', customer: byId, via: null };
  if (lower.includes('@')) {
    const contact = await store.contacts.byEmail(lower.replace(/^@/, ''));
    const employer = contact?.customerId ? await store.customers.get(contact.customerId) : null;
    if (employer) return { kind: 'one', customer: employer, via: `contact ${contact!.email}` };
  }
  if (/^[^\s]+\.[a-z]{2,}$/.test(lower)) {
    const owner = await customerOfDomain(store, lower.replace(/^.*@/, '').replace(/^www\./, ''));
    if (owner) return { kind: 'one', customer: owner, via: null };
  }
  const named = await store.customers.byName(typed);
  if (named.length === 1) return { kind: 'one', customer: named[0]!, via: null };
  // Two records of one name, one merged into the other, are one customer.
  const now = await current(store, named);
  return now.length === 1 ? { kind: 'one', customer: now[0]!, via: null } : null;
}

/** Each customer as it is now, once. */
async function current(store: Store, customers: Customer[]): Promise<Customer[]> {
  const now = new Map<string, Customer>();
  for (const customer of customers) {
    const target = await currentCustomer(store, customer);
    now.set(target.id, target);
  }
  return [...now.values()];
}

/** Like lookupCustomer, for commands that act on one customer: anything but one match is a clear error. */
export async function resolveCustomer(store: Store, reference: string): Promise<Customer> {
  const found = await lookupCustomer(store, reference);
  if (found.kind === 'one') return found.customer;
  if (found.kind === 'several') {
    const names = found.customers.slice(0, 5).map((customer) => withReason(describe(customer), found.via.get(customer.id))).join('; ');
    throw new UserInputError(`"${reference}" matches ${found.partial ? 'many' : found.customers.length} customers: ${names}. Say which one with its full name in quotes or one of its domains.`);
  }
  throw new NotFoundError(
    found.suggestions.length > 0
      ? `No customer matches "${reference}". Did you mean ${found.suggestions.map((c) => `*${c.name}*`).join(' or ')}?`
      : `No customer matches "${reference}". Add it with /crm add customer ${reference} ${reference.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com`,
  );
}

/** The customer owning `domain` or, for a sub-domain such as eu.acme.com, a parent domain. */
export async function customerOfDomain(store: Store, domain: string): Promise<Customer | null> {
  const labels = domain.toLowerCase().split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const owner = await store.customers.byDomain(labels.slice(i).join('.'));
    if (owner) return owner;
  }
  return null;
}

async function customersOfContacts(store: Store, typed: string, already: Customer[]) {
  const via = new Map<string, string>();
  const customers: Customer[] = [];
  const contacts = await store.contacts.search(typed, searchLimit);
  for (const contact of contacts) {
    if (!contact.customerId || via.has(contact.customerId) || already.some((c) => c.id === contact.customerId)) continue;
    const found = await store.customers.get(contact.customerId);
    const customer = found && (await currentCustomer(store, found));
    if (!customer || via.has(customer.id) || already.some((c) => c.id === customer.id)) continue;
    via.set(customer.id, `contact ${contact.name ?? contact.email}`);
    customers.push(customer);
  }
  return { customers, via, partial: contacts.length === searchLimit };
}

/** A customer as a list of matches shows it: its name and domains. */
function describe(customer: Customer): string {
  return customer.domains.length > 0 ? `${customer.name} (${customer.domains.join(', ')})` : customer.name;
}

/** A match and, when it was found through a contact, which one. */
export function withReason(text: string, via: string | undefined): string {
  return via ? `${text}, by its ${via}` : text;
}
