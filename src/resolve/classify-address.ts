import type { Contact } from '../domain/contact.ts';
import type { Customer } from '../domain/customer.ts';
import type { Store } from '../store/store.ts';
import { customerOfDomain } from './customer-reference.ts';
import { isFreeMail } from './free-mail-domains.ts';

/** Who an address on a message is, from the CRM's point of view. */
export type Participant =
  | { kind: 'internal'; email: string }
  | { kind: 'blocked'; email: string }
  /** A known contact; `customer` is null for a contact at no customer yet. */
  | { kind: 'contact'; email: string; contact: Contact; customer: Customer | null }
  /** Someone new at a customer's own domain (or a sub-domain of it). */
  | { kind: 'customer_domain'; email: string; customer: Customer }
  /** Someone new at a free-mail provider: nothing can be said of them. */
  | { kind: 'free_mail'; email: string }
  /** Someone at a work domain no customer owns. */
  | { kind: 'unknown_domain'; email: string; domain: string };

/** What does not change within one batch of messages: the team and the blocklist. */
export interface Surroundings {
  internalDomains: ReadonlySet<string>;
  teamAddresses: ReadonlySet<string>;
  blocked: ReadonlySet<string>;
}

export async function surroundings(store: Store, internalDomains: readonly string[]): Promise<Surroundings> {
  const [members, blocks] = await Promise.all([store.members.list(), store.blocks.list()]);
  return {
    internalDomains: new Set(internalDomains),
    teamAddresses: new Set(members.flatMap((m) => (m.email ? [m.email] : []))),
    blocked: new Set(blocks.map((b) => b.id)),
  };
}

/**
 * The order is the rule (DESIGN.md "Inbound messages"): us first (our domains
 * and our people are never customers), then the blocklist, then an exact
 * contact address, then a customer's own domains; a free-mail domain never
 * resolves by domain.
 */
export async function classifyAddress(store: Store, around: Surroundings, rawEmail: string): Promise<Participant> {
  const email = rawEmail.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (around.teamAddresses.has(email) || withParents(domain).some((d) => around.internalDomains.has(d))) return { kind: 'internal', email };
  if (around.blocked.has(email) || withParents(domain).some((d) => around.blocked.has(`@${d}`))) return { kind: 'blocked', email };
  const contact = await store.contacts.byEmail(email);
  if (contact) {
    return { kind: 'contact', email, contact, customer: contact.customerId ? await store.customers.get(contact.customerId) : null };
  }
  if (isFreeMail(domain)) return { kind: 'free_mail', email };
  const customer = await customerOfDomain(store, domain);
  return customer ? { kind: 'customer_domain', email, customer } : { kind: 'unknown_domain', email, domain };
}

/** `eu.mail.acme.com` → itself, `mail.acme.com`, `acme.com` (never a bare top-level domain). */
function withParents(domain: string): string[] {
  const labels = domain.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}
