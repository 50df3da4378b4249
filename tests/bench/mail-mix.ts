import type { SkipReason } from '../../src/ingest/ingest.ts';
import type { Address, InboundMessage } from '../../src/ingest/inbound-message.ts';
import { anchor } from './dataset.ts';
import { Random } from './random.ts';

/**
 * A deterministic stream of mail as a Gmail backfill hands it to
 * `ingestMessages`, built from the customers and contacts of a generated
 * dataset, with what ingestion should make of each message worked out as it
 * is made, so the bench can check the counts it is told (and the counts the
 * store ends up with) against an answer it computed itself.
 *
 * The mix, by weight (out of 100):
 *   known            55  a known contact's exact address writes to a rep, or a rep to them (1 interaction)
 *   new_at_customer   8  someone unknown at a customer's domain or a sub-domain of it (1 interaction; a
 *                        new contact the first time, a known one when they write again later)
 *   two_customers     5  a rep writes to contacts of two customers at once (2 interactions)
 *   internal          8  reps among themselves (not stored)
 *   bulk              6  a customer's newsletter with List-Unsubscribe, or a no-reply sender (not stored)
 *   free_mail         5  someone at gmail.com, outlook.com, … (not stored)
 *   unknown_domain    5  someone at a work domain no customer owns (not stored; a suggestion the first time)
 *   duplicate         8  a message seen shortly before, again in another rep's mailbox: same
 *                        Message-ID, another Gmail id (not stored again)
 */

export type Category = 'known' | 'new_at_customer' | 'two_customers' | 'internal' | 'bulk' | 'free_mail' | 'unknown_domain' | 'duplicate';

export const categoryWeights: readonly (readonly [Category, number])[] = [
  ['known', 55],
  ['new_at_customer', 8],
  ['two_customers', 5],
  ['internal', 8],
  ['bulk', 6],
  ['free_mail', 5],
  ['unknown_domain', 5],
  ['duplicate', 8],
];

/** What ingestion should do with one message, given every message before it. */
export interface Outcome {
  interactions: number;
  skip: SkipReason | null;
  newContact: boolean;
  newSuggestion: boolean;
}

export interface Planned {
  message: InboundMessage;
  category: Category;
  outcome: Outcome;
}

/** Totals over messages, in the shape of ingestMessages' report. */
export interface Tally {
  seen: number;
  logged: number;
  interactions: number;
  contactsCreated: number;
  suggestionsRaised: number;
  skipped: Record<SkipReason, number>;
}

export function emptyTally(): Tally {
  return { seen: 0, logged: 0, interactions: 0, contactsCreated: 0, suggestionsRaised: 0, skipped: { bulk: 0, blocked: 0, opted_out: 0, internal: 0, no_customer: 0, already_logged: 0 } };
}

export function addOutcome(tally: Tally, outcome: Outcome): void {
  tally.seen++;
  tally.interactions += outcome.interactions;
  if (outcome.interactions > 0) tally.logged++;
  if (outcome.skip) tally.skipped[outcome.skip]++;
  if (outcome.newContact) tally.contactsCreated++;
  if (outcome.newSuggestion) tally.suggestionsRaised++;
}

/** Differences between two tallies, as sentences; empty when they agree. */
export function compareTallies(label: string, got: Tally, expected: Tally): string[] {
  const problems: string[] = [];
  const check = (what: string, a: number, b: number) => {
    if (a !== b) problems.push(`${label}: ${what} ${a.toLocaleString('en-US')}, expected ${b.toLocaleString('en-US')}`);
  };
  check('messages seen', got.seen, expected.seen);
  check('messages logged', got.logged, expected.logged);
  check('interactions stored', got.interactions, expected.interactions);
  check('contacts created', got.contactsCreated, expected.contactsCreated);
  check('suggestions raised', got.suggestionsRaised, expected.suggestionsRaised);
  for (const reason of Object.keys(expected.skipped) as SkipReason[]) check(`skipped as ${reason}`, got.skipped[reason], expected.skipped[reason]);
  return problems;
}

/** The dataset as the mix needs it: customers in id order, with their domains and their contacts' addresses. */
export interface MailPool {
  customers: readonly { readonly domains: readonly string[]; readonly contacts: readonly string[] }[];
  members: readonly { readonly id: string; readonly email: string }[];
}

const firstNames = ['Ana', 'Bo', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jun', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Rosa', 'Sven', 'Tara', 'Victor', 'Wei', 'Yusuf', 'Zoe', 'Carmen', 'Emeka', 'Giulia', 'Kenji', 'Leila', 'Marco', 'Sofia'];
const lastNames = ['Lima', 'Chen', 'Martin', 'Okafor', 'Novak', 'Haddad', 'Kim', 'Garcia', 'Schmidt', 'Rossi', 'Tanaka', 'Dubois', 'Singh', 'Silva', 'Nguyen', 'Moreau', 'Mensah', 'Costa', 'Fischer', 'Lopez', 'Petrov', 'Wang', 'Jensen', 'Sato', 'Khan', 'Park', 'Santos', 'Weber', 'Reyes', 'Larsen'];
const topics = ['pricing for the renewal', 'the Q3 rollout plan', 'SSO and SCIM setup', 'the security questionnaire', 'onboarding their EMEA team', 'API rate limits', 'the invoice in dispute', 'adding 40 seats', 'data residency in the EU', 'the pilot results', 'the contract redlines', 'training sessions', 'the roadmap for next year'];
const sentences = ['Thanks for the call earlier, as promised here are the details.', 'Could you send over the updated quote before Friday?', 'Looping in our procurement lead, who will take it from here.', 'We reviewed the draft internally and have a few comments.', 'Attached is the signed order form; please confirm receipt.', 'Can we move our sync to Thursday at 3pm?', 'Following up on the open items from last week.', 'Our legal team needs another week on the MSA.'];
const newsletters = ['Product update: what shipped in September', 'Webinar invitation: scaling your data team', 'Your monthly digest', 'Join us at our user conference'];
const freeMail = ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'icloud.com'];
const syllables = ['ka', 'lo', 'mi', 'ra', 'ven', 'tor', 'zu', 'bel', 'cor', 'dra', 'fin', 'gar', 'hal', 'jo', 'kel', 'lum', 'mor', 'nex', 'pra', 'quin', 'ros', 'sol', 'tal', 'vor', 'wen', 'zen'];
const prospectWords = ['ventures', 'partners', 'consulting', 'labs', 'group', 'digital', 'solutions'];
const subDomains = ['mail', 'eu', 'us', 'corp'];
const day = 86_400_000;
/** How far back a duplicate's original may be: the other rep's mailbox holds the same recent mail. */
const recentKept = 2000;

interface Person {
  email: string;
  name: string | null;
}

/** The stream of messages: `next()` one at a time, `batch(n)` a page of them. */
export class MailMix {
  readonly #random: Random;
  readonly #pool: MailPool;
  readonly #contactEmails: string[] = [];
  readonly #contactCustomer: number[] = [];
  readonly #customersWithContacts: number[] = [];
  readonly #recent: Planned[] = [];
  /** People met at customers' domains so far, and at unknown domains. */
  readonly #introduced: Person[] = [];
  readonly #introducedEmails = new Set<string>();
  readonly #prospectDomains: string[] = [];
  readonly #prospectSet = new Set<string>();
  #count = 0;
  readonly categories: Record<Category, number> = { known: 0, new_at_customer: 0, two_customers: 0, internal: 0, bulk: 0, free_mail: 0, unknown_domain: 0, duplicate: 0 };

  constructor(pool: MailPool, seed: string) {
    if (pool.members.length < 2) throw new Error('the mail mix needs at least two team members');
    this.#pool = pool;
    this.#random = new Random(`${seed}/mail`);
    pool.customers.forEach((customer, index) => {
      if (customer.contacts.length > 0) this.#customersWithContacts.push(index);
      for (const email of customer.contacts) {
        this.#contactEmails.push(email);
        this.#contactCustomer.push(index);
      }
    });
    if (this.#contactEmails.length === 0) throw new Error('the mail mix needs at least one contact');
    if (pool.customers.every((c) => c.domains.length === 0)) throw new Error('the mail mix needs a customer with a domain');
  }

  batch(size: number): Planned[] {
    const planned: Planned[] = [];
    for (let i = 0; i < size; i++) planned.push(this.next());
    return planned;
  }

  next(): Planned {
    let category = this.#random.weighted(categoryWeights);
    if (category === 'duplicate' && this.#recent.length === 0) category = 'known';
    if (category === 'two_customers' && this.#customersWithContacts.length < 2) category = 'known';
    const planned = this.#make(category);
    this.categories[category]++;
    if (category !== 'duplicate') {
      if (this.#recent.length >= recentKept) this.#recent[this.#count % recentKept] = planned;
      else this.#recent.push(planned);
    }
    this.#count++;
    return planned;
  }

  #make(category: Category): Planned {
    const r = this.#random;
    const rep = r.pick(this.#pool.members);
    const repPerson: Person = { email: rep.email, name: null };
    const none = { newContact: false, newSuggestion: false };
    switch (category) {
      case 'known': {
        const c = this.#contact();
        const customer = this.#pool.customers[this.#contactCustomer[c]!]!;
        const contact = this.#person(this.#contactEmails[c]!);
        const colleague = customer.contacts.length > 1 && r.chance(0.2) ? this.#person(r.pick(customer.contacts)) : null;
        const message = r.chance(0.6)
          ? this.#message(rep, contact, [repPerson], colleague && colleague.email !== contact.email ? [colleague] : [])
          : this.#message(rep, repPerson, [contact], r.chance(0.2) ? [this.#otherRep(rep)] : []);
        return { message, category, outcome: { interactions: 1, skip: null, ...none } };
      }
      case 'new_at_customer': {
        let person: Person;
        let fresh = false;
        if (this.#introduced.length > 0 && r.chance(0.25)) person = r.pick(this.#introduced);
        else {
          person = this.#newPersonAtCustomer();
          fresh = true;
          this.#introduced.push(person);
          this.#introducedEmails.add(person.email);
        }
        return { message: this.#message(rep, person, [repPerson], []), category, outcome: { interactions: 1, skip: null, newContact: fresh, newSuggestion: false } };
      }
      case 'two_customers': {
        const a = this.#contact();
        let b = this.#contact();
        for (let tries = 0; this.#contactCustomer[b] === this.#contactCustomer[a] && tries < 50; tries++) b = this.#contact();
        if (this.#contactCustomer[b] === this.#contactCustomer[a]) {
          // A tiny dataset: take the first contact of another customer.
          const other = this.#customersWithContacts.find((index) => index !== this.#contactCustomer[a])!;
          b = this.#contactCustomer.indexOf(other);
        }
        const message = this.#message(rep, repPerson, [this.#person(this.#contactEmails[a]!), this.#person(this.#contactEmails[b]!)], []);
        return { message, category, outcome: { interactions: 2, skip: null, ...none } };
      }
      case 'internal': {
        const cc = r.chance(0.3) ? [this.#otherRep(rep)] : [];
        return { message: this.#message(rep, repPerson, [this.#otherRep(rep)], cc), category, outcome: { interactions: 0, skip: 'internal', ...none } };
      }
      case 'bulk': {
        if (r.chance(0.7)) {
          const sender = this.#person(this.#contactEmails[this.#contact()]!);
          const message = this.#message(rep, sender, [repPerson], [], { listUnsubscribe: `<mailto:unsubscribe@${domainOf(sender.email)}>, <https://${domainOf(sender.email)}/unsubscribe>` }, r.pick(newsletters));
          return { message, category, outcome: { interactions: 0, skip: 'bulk', ...none } };
        }
        const domain = r.pick(this.#pool.customers[this.#customerWithDomain()]!.domains);
        const message = this.#message(rep, { email: `no-reply@${domain}`, name: null }, [repPerson], [], { precedence: 'bulk' }, r.pick(newsletters));
        return { message, category, outcome: { interactions: 0, skip: 'bulk', ...none } };
      }
      case 'free_mail': {
        const first = r.pick(firstNames);
        const last = r.pick(lastNames);
        const person = { email: `${first.toLowerCase()}.${last.toLowerCase()}${r.int(1, 999)}@${r.pick(freeMail)}`, name: `${first} ${last}` };
        return { message: this.#message(rep, person, [repPerson], []), category, outcome: { interactions: 0, skip: 'no_customer', ...none } };
      }
      case 'unknown_domain': {
        let domain: string;
        let fresh = false;
        if (this.#prospectDomains.length > 0 && r.chance(0.4)) domain = r.pick(this.#prospectDomains);
        else {
          // A hyphen: the generator's customer domains never have one, so no customer owns these.
          do domain = `${r.pick(syllables)}${r.pick(syllables)}${r.pick(syllables)}-${r.pick(prospectWords)}.${r.pick(['com', 'com', 'io', 'de'])}`;
          while (this.#prospectSet.has(domain));
          this.#prospectSet.add(domain);
          this.#prospectDomains.push(domain);
          fresh = true;
        }
        const first = r.pick(firstNames);
        const last = r.pick(lastNames);
        const person = { email: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}`, name: `${first} ${last}` };
        return { message: this.#message(rep, person, [repPerson], []), category, outcome: { interactions: 0, skip: 'no_customer', newContact: false, newSuggestion: fresh } };
      }
      case 'duplicate': {
        const original = r.pick(this.#recent);
        const other = this.#otherRep(this.#pool.members.find((m) => m.id === original.message.loggedBy) ?? rep);
        const member = this.#pool.members.find((m) => m.email === other.email)!;
        const providerId = this.#providerId();
        const message: InboundMessage = {
          ...original.message,
          mailbox: member.email,
          loggedBy: member.id,
          providerId,
          permalink: `https://mail.google.com/mail/u/${encodeURIComponent(member.email)}/#all/${providerId}`,
        };
        return { message, category, outcome: { interactions: 0, skip: original.outcome.skip ?? 'already_logged', ...none } };
      }
    }
  }

  /** A contact, every one as likely. */
  #contact(): number {
    return Math.floor(this.#random.float() * this.#contactEmails.length);
  }

  #customerWithDomain(): number {
    for (;;) {
      const index = Math.floor(this.#random.float() * this.#pool.customers.length);
      if (this.#pool.customers[index]!.domains.length > 0) return index;
    }
  }

  /**
   * Someone no contact has been: two dots in the local part, which the
   * generator's contacts never have, sometimes at a sub-domain.
   */
  #newPersonAtCustomer(): Person {
    const r = this.#random;
    const domains = this.#pool.customers[this.#customerWithDomain()]!.domains;
    const domain = r.chance(0.2) ? `${r.pick(subDomains)}.${r.pick(domains)}` : r.pick(domains);
    const first = r.pick(firstNames);
    const last = r.pick(lastNames);
    const base = `${first.toLowerCase()}.${String.fromCharCode(97 + r.int(0, 25))}.${last.toLowerCase()}`;
    let email = `${base}@${domain}`;
    for (let n = 2; this.#introducedEmails.has(email); n++) email = `${base}${n}@${domain}`;
    return { email, name: r.chance(0.8) ? `${first} ${last}` : null };
  }

  #person(email: string): Person {
    const local = email.slice(0, email.indexOf('@'));
    const name = local
      .split(/[._]/)
      .filter((part) => /^[a-z]+$/.test(part))
      .map((part) => part[0]!.toUpperCase() + part.slice(1))
      .join(' ');
    return { email, name: name || null };
  }

  #otherRep(rep: { email: string }): Person {
    let other = this.#random.pick(this.#pool.members);
    while (other.email === rep.email) other = this.#random.pick(this.#pool.members);
    return { email: other.email, name: null };
  }

  #providerId(): string {
    // Unique per message: the count, scrambled, then the count itself.
    const n = this.#count;
    return `${(Math.imul(n + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}${n.toString(16).padStart(8, '0')}`;
  }

  #message(rep: { id: string; email: string }, from: Person, to: Person[], cc: Person[], bulkHeaders: InboundMessage['bulkHeaders'] = {}, subject?: string): InboundMessage {
    const r = this.#random;
    const providerId = this.#providerId();
    const senderDomain = domainOf(from.email);
    const topic = r.pick(topics);
    return {
      provider: 'gmail',
      mailbox: rep.email,
      loggedBy: rep.id,
      providerId,
      messageId: `<${this.#count.toString(36)}.${r.uint32().toString(36)}@mail.${senderDomain}>`,
      threadId: r.chance(0.5) ? providerId : `t${(this.#count - r.int(1, 50)).toString(16)}`,
      from: address(from),
      to: to.map(address),
      cc: cc.map(address),
      subject: subject ?? (r.chance(0.5) ? `Re: ${topic}` : topic[0]!.toUpperCase() + topic.slice(1)),
      snippet: `Hi ${to[0]?.name?.split(' ')[0] ?? 'there'}, ${r.pick(sentences)} ${r.pick(sentences)}`.slice(0, 200),
      sentAt: new Date(anchor - r.int(0, 30 * day)),
      bulkHeaders,
      permalink: `https://mail.google.com/mail/u/${encodeURIComponent(rep.email)}/#all/${providerId}`,
      channelCustomerId: null,
    };
  }
}

function address(person: Person): Address {
  return { email: person.email, name: person.name };
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}
