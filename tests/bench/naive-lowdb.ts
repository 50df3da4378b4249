import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Low } from 'lowdb';
import type { Contact } from '../../src/domain/contact.ts';
import type { Customer } from '../../src/domain/customer.ts';
import type { Interaction } from '../../src/domain/interaction.ts';
import type { Suggestion } from '../../src/domain/suggestion.ts';
import type { InboundMessage } from '../../src/ingest/inbound-message.ts';
import { bulkReason } from '../../src/ingest/is-bulk.ts';
import { isFreeMail } from '../../src/resolve/free-mail-domains.ts';
import type { SkipReason } from '../../src/ingest/ingest.ts';
import type { MailPool, Tally } from './mail-mix.ts';

/**
 * The naive baseline of issue 4: what a first lowdb CRM does. The whole store
 * is one `db.json` read by lowdb's own JSONFile (JSON.stringify with two-space
 * indentation, written through steno: a temp file renamed over the old one),
 * and every change is `push` then `await db.write()`, which serialises the
 * whole store again. Resolution follows the same rules as src/resolve
 * (internal, exact address, customer domain and its parents, free mail,
 * unknown domain), with Maps built at load so the lookups themselves are cheap:
 * the cost measured is the write.
 */

export interface NaiveData {
  customers: Customer[];
  contacts: Contact[];
  interactions: Interaction[];
  suggestions: Suggestion[];
}

/** Writes `db.json` from a generated store folder exactly as lowdb's JSONFile would, streamed so that no size is too big to write. */
export async function writeNaiveDb(storeDir: string, dbPath: string): Promise<number> {
  const out = createWriteStream(dbPath, { encoding: 'utf8' });
  let bytes = 0;
  let pending = '';
  const put = async (text: string) => {
    pending += text;
    if (pending.length < 1 << 20) return;
    bytes += Buffer.byteLength(pending);
    const ok = out.write(pending);
    pending = '';
    if (!ok) await once(out, 'drain');
  };
  const names = ['customers', 'contacts', 'interactions', 'suggestions'] as const;
  await put('{\n');
  for (const [n, name] of names.entries()) {
    await put(`  ${JSON.stringify(name)}: `);
    let count = 0;
    if (name !== 'suggestions') {
      const lines = createInterface({ input: createReadStream(join(storeDir, `${name}.json`), { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const raw of lines) {
        const line = raw.trim().replace(/,$/, '');
        if (!line.startsWith('{')) continue;
        const record = JSON.stringify(JSON.parse(line), null, 2).replace(/\n/g, '\n    ');
        await put(`${count === 0 ? '[\n' : ',\n'}    ${record}`);
        count++;
      }
    }
    await put(count === 0 ? '[]' : '\n  ]');
    await put(n < names.length - 1 ? ',\n' : '\n}');
  }
  bytes += Buffer.byteLength(pending);
  out.end(pending);
  await once(out, 'finish');
  return bytes;
}

/** The customers of the naive store in id order, with their domains and contacts (in file order): the same pool the guanxi child builds. */
export function naivePool(data: NaiveData, members: MailPool['members']): MailPool {
  const contactsOf = new Map<string, string[]>();
  for (const contact of data.contacts) {
    if (contact.customerId === null) continue;
    let list = contactsOf.get(contact.customerId);
    if (!list) contactsOf.set(contact.customerId, (list = []));
    list.push(contact.email);
  }
  const customers = [...data.customers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { customers: customers.map((c) => ({ domains: c.domains, contacts: contactsOf.get(c.id) ?? [] })), members };
}

let nextId = 0;
function naiveId(prefix: string): string {
  return `${prefix}_naive${(nextId++).toString(32).padStart(6, '0')}`;
}

/** A naive ingester over one Low<NaiveData>: a write per change. */
export class NaiveIngest {
  readonly #db: Low<NaiveData>;
  readonly #team: Set<string>;
  readonly #internal: Set<string>;
  readonly #contactsByEmail = new Map<string, Contact>();
  readonly #customersById = new Map<string, Customer>();
  readonly #customersByDomain = new Map<string, Customer>();
  readonly #suggestionsByDomain = new Map<string, Suggestion>();
  /** Message-ID → customers it is logged to. */
  readonly #logged = new Map<string, Set<string>>();
  /** Writes done and the longest one. */
  writes = 0;
  longestWriteMs = 0;

  constructor(db: Low<NaiveData>, members: MailPool['members'], internalDomains: readonly string[]) {
    this.#db = db;
    this.#team = new Set(members.map((m) => m.email));
    this.#internal = new Set(internalDomains);
    for (const contact of db.data.contacts) this.#contactsByEmail.set(contact.email, contact);
    for (const customer of db.data.customers) {
      this.#customersById.set(customer.id, customer);
      for (const domain of customer.domains) this.#customersByDomain.set(domain, customer);
    }
    for (const suggestion of db.data.suggestions) this.#suggestionsByDomain.set(suggestion.domain, suggestion);
    for (const interaction of db.data.interactions) if (interaction.source?.messageId) this.#remember(interaction.source.messageId, interaction.customerId);
  }

  async #write(): Promise<void> {
    const began = performance.now();
    await this.#db.write();
    this.writes++;
    this.longestWriteMs = Math.max(this.longestWriteMs, performance.now() - began);
  }

  #remember(messageId: string, customerId: string): void {
    let customers = this.#logged.get(messageId);
    if (!customers) this.#logged.set(messageId, (customers = new Set()));
    customers.add(customerId);
  }

  /** Ingests one message, writing after every change; adds what happened to `tally`. */
  async ingest(message: InboundMessage, now: Date, tally: Tally): Promise<void> {
    tally.seen++;
    const skip = (reason: SkipReason) => void tally.skipped[reason]++;
    if (bulkReason(message)) return skip('bulk');
    const people = new Map<string, string | null>();
    for (const p of [...(message.from ? [message.from] : []), ...message.to, ...message.cc]) {
      const email = p.email.trim().toLowerCase();
      if (!people.has(email)) people.set(email, p.name);
    }
    const links = new Map<string, { customer: Customer; reason: 'exact_address' | 'domain' }>();
    const newContacts: Contact[] = [];
    const sightings: { domain: string; email: string; name: string | null }[] = [];
    let outside = 0;
    let outbound = false;
    for (const [email, name] of people) {
      const domain = email.slice(email.lastIndexOf('@') + 1);
      if (this.#team.has(email) || parents(domain).some((d) => this.#internal.has(d))) {
        if (message.from && email === message.from.email.toLowerCase()) outbound = true;
        continue;
      }
      outside++;
      const contact = this.#contactsByEmail.get(email);
      if (contact) {
        const customer = contact.customerId ? this.#customersById.get(contact.customerId) : undefined;
        if (customer) links.set(customer.id, { customer, reason: 'exact_address' });
        continue;
      }
      if (isFreeMail(domain)) continue;
      const customer = parents(domain)
        .map((d) => this.#customersByDomain.get(d))
        .find((c) => c !== undefined);
      if (customer) {
        if (!links.has(customer.id)) links.set(customer.id, { customer, reason: 'domain' });
        newContacts.push({ id: naiveId('con'), email, name: name?.trim() || null, customerId: customer.id, source: 'mail', createdAt: now.toISOString(), createdBy: message.loggedBy });
      } else {
        sightings.push({ domain, email, name });
      }
    }
    if (outside === 0) return skip('internal');
    for (const contact of newContacts) {
      if (this.#contactsByEmail.has(contact.email)) continue;
      this.#contactsByEmail.set(contact.email, contact);
      this.#db.data.contacts.push(contact);
      tally.contactsCreated++;
      await this.#write();
    }
    for (const sighting of sightings) {
      const known = this.#suggestionsByDomain.get(sighting.domain);
      const suggestion: Suggestion = known
        ? { ...known, messageCount: known.messageCount + 1, lastSeenAt: message.sentAt.toISOString() }
        : { id: naiveId('sug'), domain: sighting.domain, status: 'pending', firstSeenAt: message.sentAt.toISOString(), lastSeenAt: message.sentAt.toISOString(), messageCount: 1, people: [{ email: sighting.email, name: sighting.name }], seenBy: [message.loggedBy], decidedAt: null, decidedBy: null };
      if (known) this.#db.data.suggestions[this.#db.data.suggestions.indexOf(known)] = suggestion;
      else {
        this.#db.data.suggestions.push(suggestion);
        tally.suggestionsRaised++;
      }
      this.#suggestionsByDomain.set(sighting.domain, suggestion);
      await this.#write();
    }
    if (links.size === 0) return skip('no_customer');
    const messageId = message.messageId?.trim().replace(/^<|>$/g, '').toLowerCase() ?? null;
    let stored = 0;
    for (const { customer, reason } of links.values()) {
      if (messageId && this.#logged.get(messageId)?.has(customer.id)) continue;
      const interaction: Interaction = {
        id: naiveId('int'),
        customerId: customer.id,
        kind: 'email',
        summary: message.subject.trim() || '(no subject)',
        occurredAt: message.sentAt.toISOString(),
        loggedAt: now.toISOString(),
        loggedBy: message.loggedBy,
        linkReason: reason,
        permalink: message.permalink,
        direction: outbound ? 'outbound' : 'inbound',
        source: { provider: message.provider, mailbox: message.mailbox, providerId: message.providerId, messageId, threadId: message.threadId },
        snippet: message.snippet.slice(0, 200),
        participants: [...people.keys()],
        unlinkedAt: null,
        unlinkedBy: null,
      };
      this.#db.data.interactions.push(interaction);
      if (messageId) this.#remember(messageId, customer.id);
      stored++;
      await this.#write();
    }
    if (stored === 0) return skip('already_logged');
    tally.logged++;
    tally.interactions += stored;
  }
}

/** `eu.mail.acme.com` → itself, `mail.acme.com`, `acme.com`. */
function parents(domain: string): string[] {
  const labels = domain.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}
