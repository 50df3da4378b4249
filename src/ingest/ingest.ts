import type { Clock } from '../clock.ts';
import type { Contact } from '../domain/contact.ts';
import type { Customer } from '../domain/customer.ts';
import { emailAddress } from '../domain/fields.ts';
import type { Interaction, LinkReason } from '../domain/interaction.ts';
import { ConflictError } from '../errors.ts';
import type { IdGenerator } from '../ids.ts';
import { classifyAddress, surroundings, type Participant, type Surroundings } from '../resolve/classify-address.ts';
import type { Store } from '../store/store.ts';
import { normaliseMessageId, type Address, type InboundMessage } from './inbound-message.ts';
import { bulkReason } from './is-bulk.ts';
import { noteSightings, type Sighting } from './suggest-customers.ts';

export interface IngestDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  internalDomains: readonly string[];
}

export type SkipReason = 'bulk' | 'blocked' | 'opted_out' | 'internal' | 'no_customer' | 'already_logged';

/** What became of each message, and of the batch. */
export interface IngestReport {
  seen: number;
  /** Messages that reached at least one timeline now. */
  logged: number;
  interactions: Interaction[];
  skipped: Record<SkipReason, number>;
  contactsCreated: number;
  suggestionsRaised: number;
}

const snippetLength = 200;

/**
 * Turns messages into interactions on the right customers' timelines. Every
 * decision is stored with its reason (`linkReason`), a message is logged once
 * however many mailboxes or deliveries bring it, and nothing is stored for a
 * message that concerns no customer. A batch is written together.
 */
export async function ingestMessages(deps: IngestDeps, messages: InboundMessage[]): Promise<IngestReport> {
  const around = await surroundings(deps.store, deps.internalDomains);
  const report: IngestReport = { seen: messages.length, logged: 0, interactions: [], skipped: { bulk: 0, blocked: 0, opted_out: 0, internal: 0, no_customer: 0, already_logged: 0 }, contactsCreated: 0, suggestionsRaised: 0 };
  const planned: Interaction[] = [];
  const sightings: Sighting[] = [];
  const newContacts = new Map<string, Contact>();
  for (const message of messages) {
    const plan = await planMessage(deps, around, message, newContacts, sightings);
    if (typeof plan === 'string') report.skipped[plan]++;
    else planned.push(...plan);
  }
  // All at once, so the store's group commit makes one flush of them, not one each.
  const created = await Promise.all(
    [...newContacts.values()].map((contact) =>
      deps.store.contacts.insert(contact).then(
        () => 1,
        (error: unknown) => {
          // Another batch met the same person a moment ago: the contact exists, which is all we wanted.
          if (error instanceof ConflictError) return 0;
          throw error;
        },
      ),
    ),
  );
  report.contactsCreated = created.reduce((sum, one) => sum + one, 0);
  report.suggestionsRaised = await noteSightings(deps, sightings);
  report.interactions = await deps.store.interactions.insertMessages(planned);
  const loggedMessages = new Set(report.interactions.map((i) => `${i.source!.provider}:${i.source!.providerId}`));
  const plannedMessages = new Set(planned.map((i) => `${i.source!.provider}:${i.source!.providerId}`));
  report.logged = loggedMessages.size;
  report.skipped.already_logged = plannedMessages.size - loggedMessages.size;
  return report;
}

async function planMessage(
  deps: IngestDeps,
  around: Surroundings,
  message: InboundMessage,
  newContacts: Map<string, Contact>,
  sightings: Sighting[],
): Promise<Interaction[] | SkipReason> {
  const links = new Map<string, { customer: Customer; reason: LinkReason }>();
  const people = unique([...(message.from ? [message.from] : []), ...message.to, ...message.cc]);
  const participants = await Promise.all(people.map((p) => classifyAddress(deps.store, around, p.email)));
  const sender = message.from ? participants[0]! : null;

  if (message.channelCustomerId) {
    const customer = await deps.store.customers.get(message.channelCustomerId);
    if (!customer) return 'no_customer';
    links.set(customer.id, { customer, reason: 'channel' });
  } else {
    if (bulkReason(message)) return 'bulk';
    if (sender?.kind === 'blocked') return 'blocked';
    const outside = participants.filter((p) => p.kind !== 'internal' && p.kind !== 'blocked');
    if (outside.length === 0) return 'internal';
    // Someone who opted out is not logged: mail with no one else from outside the team is left out.
    if (outside.every((p) => p.kind === 'contact' && p.contact.optedOut)) return 'opted_out';
    participants.forEach((participant, i) => link(participant, people[i]!, message, links, newContacts, sightings, deps));
    if (links.size === 0) return 'no_customer';
  }

  const now = deps.clock.now().toISOString();
  const messageId = normaliseMessageId(message.messageId);
  return [...links.values()].map(({ customer, reason }) => ({
    id: deps.ids('int'),
    customerId: customer.id,
    kind: message.provider === 'slack' ? 'message' : 'email',
    summary: message.subject.trim() || (message.provider === 'slack' ? message.snippet.slice(0, snippetLength) : '(no subject)'),
    occurredAt: message.sentAt.toISOString(),
    loggedAt: now,
    loggedBy: message.loggedBy,
    linkReason: reason,
    permalink: message.permalink,
    direction: sender?.kind === 'internal' ? 'outbound' : 'inbound',
    source: { provider: message.provider, mailbox: message.mailbox, providerId: message.providerId, messageId, threadId: message.threadId },
    snippet: message.snippet.slice(0, snippetLength),
    // A blocked address (`/crm block`, `/crm forget`) is not stored, even on mail logged for the others on it.
    participants: people.filter((_, i) => participants[i]!.kind !== 'blocked').map((p) => p.email),
    unlinkedAt: null,
    unlinkedBy: null,
  }));
}

/** Records what one participant says about the customers concerned; an exact address outranks a domain. */
function link(
  participant: Participant,
  person: Address,
  message: InboundMessage,
  links: Map<string, { customer: Customer; reason: LinkReason }>,
  newContacts: Map<string, Contact>,
  sightings: Sighting[],
  deps: IngestDeps,
): void {
  if (participant.kind === 'contact' && participant.customer) {
    links.set(participant.customer.id, { customer: participant.customer, reason: 'exact_address' });
  } else if (participant.kind === 'customer_domain') {
    if (!links.has(participant.customer.id)) links.set(participant.customer.id, { customer: participant.customer, reason: 'domain' });
    if (!newContacts.has(participant.email)) newContacts.set(participant.email, newContact(deps, participant.email, person.name, participant.customer.id, message));
  } else if (participant.kind === 'unknown_domain') {
    sightings.push({ domain: participant.domain, email: participant.email, name: person.name, seenAt: message.sentAt, seenBy: message.loggedBy });
  }
}

function newContact(deps: IngestDeps, email: string, name: string | null, customerId: string, message: InboundMessage): Contact {
  return { id: deps.ids('con'), email, name: name?.trim() || null, customerId, source: 'mail', createdAt: deps.clock.now().toISOString(), createdBy: message.loggedBy };
}

/** Each address once, lower-cased; what is not an address at all (a provider's placeholder, a mangled header) is left out. */
function unique(people: Address[]): Address[] {
  const seen = new Map<string, Address>();
  for (const person of people) {
    const email = person.email.trim().toLowerCase();
    if (!seen.has(email) && emailAddress.safeParse(email).success) seen.set(email, { email, name: person.name });
  }
  return [...seen.values()];
}
