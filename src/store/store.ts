import type { Block } from '../domain/block.ts';
import type { Case } from '../domain/case.ts';
import type { ChannelLink } from '../domain/channel-link.ts';
import type { Contact } from '../domain/contact.ts';
import type { Customer } from '../domain/customer.ts';
import type { Deal } from '../domain/deal.ts';
import type { DigestSent } from '../domain/digest.ts';
import type { Interaction } from '../domain/interaction.ts';
import type { JobRun } from '../domain/job-run.ts';
import type { Mailbox } from '../domain/mailbox.ts';
import type { Member } from '../domain/member.ts';
import type { Poll } from '../domain/poll.ts';
import type { Reminder } from '../domain/reminder.ts';
import type { Suggestion } from '../domain/suggestion.ts';

/**
 * The Store port. Every implementation (lowdb files, PostgreSQL) passes the
 * contract suite in tests/contract/store-contract.ts.
 *
 * Rules every implementation keeps:
 * - a promise that resolves means the write is durable: a crash after it loses nothing;
 * - records go in and come out as plain objects valid against their zod schema,
 *   and callers may not mutate what they get back (implementations may share it);
 * - `insert` of an id that exists, or of a customer domain or contact email that is
 *   already taken, rejects with a ConflictError and changes nothing;
 * - `update` of an id that does not exist rejects with a NotFoundError.
 */
export interface Store {
  readonly kind: 'lowdb' | 'postgres';
  readonly customers: CustomerRepo;
  readonly contacts: ContactRepo;
  readonly interactions: InteractionRepo;
  readonly reminders: ReminderRepo;
  readonly members: MemberRepo;
  readonly deliveries: DeliveryLog;
  readonly suggestions: SuggestionRepo;
  readonly blocks: BlockRepo;
  readonly channels: ChannelLinkRepo;
  readonly mailboxes: MailboxRepo;
  readonly polls: PollRepo;
  readonly cases: CaseRepo;
  readonly deals: DealRepo;
  readonly jobRuns: JobRunRepo;
  readonly digests: DigestLog;
  /**
   * Runs `work` unless a job of this name is already running on this store, in
   * this process or in another instance sharing it; resolves true if it ran.
   * Scheduled jobs go through it, so each runs once at a time across instances.
   */
  runOnce(name: string, work: () => Promise<void>): Promise<boolean>;
  /** Every record of one collection, in no set order: for copying a store (`npm run crm -- migrate`), and for a pass over all of them that needs no order. */
  records<K extends CollectionName>(collection: K): AsyncIterable<StoredRecords[K]>;
  /** Flushes pending writes and releases the store (its lock, its connections). */
  close(): Promise<void>;
}

/** A delivery already handled (DeliveryLog): its key and when it was first seen. */
export interface Delivery {
  readonly id: string;
  readonly seenAt: string;
}

/** What each collection of a store holds, by the name `records` takes. */
export interface StoredRecords {
  customers: Customer;
  contacts: Contact;
  interactions: Interaction;
  reminders: Reminder;
  members: Member;
  deliveries: Delivery;
  suggestions: Suggestion;
  blocks: Block;
  channels: ChannelLink;
  mailboxes: Mailbox;
  polls: Poll;
  cases: Case;
  deals: Deal;
  jobRuns: JobRun;
  digests: DigestSent;
}

export type CollectionName = keyof StoredRecords;

/** Every collection, in an order that a copy can follow. */
export const collectionNames: readonly CollectionName[] = [
  'members',
  'customers',
  'contacts',
  'interactions',
  'reminders',
  'suggestions',
  'blocks',
  'channels',
  'mailboxes',
  'polls',
  'cases',
  'deals',
  'jobRuns',
  'digests',
  'deliveries',
];

/** What a customer is known and told apart by: what "did you mean" and duplicate detection read, lighter than the whole record. */
export type CustomerName = Pick<Customer, 'id' | 'name' | 'domains' | 'createdAt' | 'notDuplicateOf'>;

export interface CustomerRepo {
  get(id: string): Promise<Customer | null>;
  /** The customer that owns exactly this domain. */
  byDomain(domain: string): Promise<Customer | null>;
  /** Customers whose name equals `name`, ignoring case and surrounding space; merged ones too, so that an old name still leads to what it became. */
  byName(name: string): Promise<Customer[]>;
  /** Customers whose name or a domain contains `text` (ignoring case), best first: exact, prefix, then substring. Merged customers are left out. */
  search(text: string, limit: number): Promise<Customer[]>;
  /** Every customer, ordered by name; for digests and the terminal. Merged customers are left out. */
  list(): Promise<Customer[]>;
  /** Every customer's name and what tells it apart (CustomerName), in no set order. Merged customers are left out. */
  names(): Promise<CustomerName[]>;
  /** Merged customers are left out. */
  ownedBy(memberId: string): Promise<Customer[]>;
  insert(customer: Customer): Promise<void>;
  update(customer: Customer): Promise<void>;
  /**
   * The first step of a merge, in one write: `fromId` becomes a redirect
   * (`mergedInto: toId`, no domains) and its domains go to `toId`. Resolves
   * with the domains moved; again on a redirect already made, with none.
   * Rejects with NotFoundError for an unknown id, and with ConflictError when
   * `toId` is `fromId`, is itself merged, or `fromId` was merged elsewhere.
   */
  markMerged(fromId: string, toId: string): Promise<string[]>;
}

export interface ContactRepo {
  get(id: string): Promise<Contact | null>;
  /** `email` is matched lower-cased. */
  byEmail(email: string): Promise<Contact | null>;
  /** Oldest first (createdAt); the order of contacts added at the same instant is the store's. */
  byCustomer(customerId: string): Promise<Contact[]>;
  /** Contacts whose name or email contains `text` (ignoring case). */
  search(text: string, limit: number): Promise<Contact[]>;
  /** Every contact's address and customer, in no set order: what duplicate detection reads, lighter than every contact. */
  addresses(): Promise<{ email: string; customerId: string | null }[]>;
  insert(contact: Contact): Promise<void>;
  update(contact: Contact): Promise<void>;
  /** Deletes the contact, freeing its address; false when nothing had that id. */
  remove(id: string): Promise<boolean>;
  /** Re-points every contact of customer `fromId` to `toId`, in one write; resolves with how many moved. */
  moveCustomer(fromId: string, toId: string): Promise<number>;
}

export interface InteractionRepo {
  get(id: string): Promise<Interaction | null>;
  /** Newest first by `occurredAt`, then by `loggedAt`; unlinked interactions are left out. */
  byCustomer(customerId: string, limit: number): Promise<Interaction[]>;
  /** Unlinked interactions are not counted. */
  countByCustomer(customerId: string): Promise<number>;
  /** The linked interactions of these customers that happened at or after `since`, newest first. */
  recentByCustomers(customerIds: readonly string[], since: Date): Promise<Interaction[]>;
  /** Every customer with a linked interaction, and how many it has: the fallback measure of a customer's value. */
  countsByCustomer(): Promise<Map<string, number>>;
  /** Every interaction, unlinked ones too, whose `source.messageId` is this one. */
  byMessageId(messageId: string): Promise<Interaction[]>;
  insert(interaction: Interaction): Promise<void>;
  /**
   * Logs messages once: inserts, in one write, those of `interactions` whose
   * message is not yet on that customer's timeline (unlinked ones included),
   * and returns them. A message is known by `source.messageId`, or without one
   * by `source.provider` and `source.providerId`. Two calls with the same
   * message at once insert it once.
   */
  insertMessages(interactions: Interaction[]): Promise<Interaction[]>;
  /** Replaces a stored interaction (to unlink it, say). */
  update(interaction: Interaction): Promise<void>;
  /**
   * Re-points every interaction of customer `fromId` to `toId`, unlinked ones
   * too, except a message `toId` already has (unlinked or not, known as in
   * `insertMessages`): one message is one interaction per customer, so that
   * copy of `fromId`'s is deleted and `toId`'s is kept as it is. Resolves with
   * how many moved and how many were already there; calling it again moves nothing.
   */
  moveCustomer(fromId: string, toId: string): Promise<{ moved: number; alreadyThere: number }>;
}

export interface ReminderRepo {
  get(id: string): Promise<Reminder | null>;
  /** Open reminders of one member, soonest first. */
  openByOwner(ownerId: string): Promise<Reminder[]>;
  /** Open reminders on one customer, soonest first. */
  openByCustomer(customerId: string): Promise<Reminder[]>;
  /** Open, undelivered reminders due at or before `now`, soonest first. */
  due(now: Date): Promise<Reminder[]>;
  insert(reminder: Reminder): Promise<void>;
  update(reminder: Reminder): Promise<void>;
  /** Re-points every reminder, open or done, of customer `fromId` to `toId`, in one write; resolves with how many moved. */
  moveCustomer(fromId: string, toId: string): Promise<number>;
}

export interface MemberRepo {
  get(id: string): Promise<Member | null>;
  list(): Promise<Member[]>;
  /** Inserts or replaces by id. */
  put(member: Member): Promise<void>;
}

/**
 * Remembers deliveries already handled (a Slack event_id, later a mail
 * notification), so that a platform's retry is not processed twice.
 */
export interface DeliveryLog {
  /** True the first time `key` is recorded, false on every later call. */
  firstSeen(key: string, at: Date): Promise<boolean>;
  /** Forgets keys recorded before `before`; platforms stop retrying long before that. */
  prune(before: Date): Promise<number>;
}

export interface SuggestionRepo {
  get(id: string): Promise<Suggestion | null>;
  byDomain(domain: string): Promise<Suggestion | null>;
  /** Pending suggestions, the most recently seen first. */
  pending(limit: number): Promise<Suggestion[]>;
  /**
   * Reads the domain's suggestion (null if there is none) and stores what
   * `change` makes of it, or leaves it be when `change` gives null, with no
   * other change to that domain's suggestion in between, from this process
   * or another on the same database: mail that several mailboxes bring at
   * once is counted once each, and a dismissal is not undone by mail
   * arriving meanwhile. Resolves with the suggestion as stored afterwards.
   * `change` keeps the domain, and the id of the one there was.
   */
  change(domain: string, change: (known: Suggestion | null) => Suggestion | null): Promise<Suggestion | null>;
}

export interface BlockRepo {
  /** Every blocked address and `@domain`. */
  list(): Promise<Block[]>;
  /** Inserts or replaces by id. */
  put(block: Block): Promise<void>;
  /** False when nothing had that id. */
  remove(id: string): Promise<boolean>;
}

export interface ChannelLinkRepo {
  get(channelId: string): Promise<ChannelLink | null>;
  byCustomer(customerId: string): Promise<ChannelLink[]>;
  /** Inserts or replaces by channel id. */
  put(link: ChannelLink): Promise<void>;
  /** False when the channel was not linked. */
  remove(channelId: string): Promise<boolean>;
  /** Re-points every channel link of customer `fromId` to `toId`, in one write; resolves with how many moved. */
  moveCustomer(fromId: string, toId: string): Promise<number>;
}

export interface MailboxRepo {
  get(id: string): Promise<Mailbox | null>;
  /** `address` is matched lower-cased. */
  byAddress(provider: Mailbox['provider'], address: string): Promise<Mailbox | null>;
  byMember(memberId: string): Promise<Mailbox[]>;
  list(): Promise<Mailbox[]>;
  /** Inserts or replaces by id. */
  put(mailbox: Mailbox): Promise<void>;
  /** Changes one mailbox in one step, as PollRepo.amend does: a sync and a backfill page on two instances both keep their changes. */
  amend(id: string, change: (mailbox: Mailbox) => Mailbox | null): Promise<Mailbox | null>;
}

export interface PollRepo {
  get(id: string): Promise<Poll | null>;
  /** A customer's polls, the newest first by `createdAt`. */
  byCustomer(customerId: string): Promise<Poll[]>;
  /** Scheduled polls whose `sendAt` is at or before `now`, soonest first. */
  due(now: Date): Promise<Poll[]>;
  /** Polls with an answer given or changed at or after `since`, the most recent change first. */
  answeredSince(since: Date): Promise<Poll[]>;
  insert(poll: Poll): Promise<void>;
  update(poll: Poll): Promise<void>;
  /**
   * Changes one poll in one step, whatever else writes to it meanwhile, from
   * this process or another instance: `change` gets the poll as stored and
   * returns it changed, or null to leave it as it is. Resolves with what was
   * written; null when nothing was (no such poll, or `change` said no).
   */
  amend(id: string, change: (poll: Poll) => Poll | null): Promise<Poll | null>;
  /** Re-points every poll of customer `fromId` to `toId`, in one write; resolves with how many moved. */
  moveCustomer(fromId: string, toId: string): Promise<number>;
}

export interface CaseRepo {
  get(id: string): Promise<Case | null>;
  /** A customer's cases, open and closed, the newest first by `openedAt`. */
  byCustomer(customerId: string): Promise<Case[]>;
  /** Every open case, the soonest due first. */
  open(): Promise<Case[]>;
  /** Open cases past `dueAt` at `now` that have not been escalated yet, the longest overdue first. */
  overdue(now: Date): Promise<Case[]>;
  insert(supportCase: Case): Promise<void>;
  update(supportCase: Case): Promise<void>;
  /**
   * Replaces a case only while it is still open, in one step: false, changing
   * nothing, when it was closed meanwhile (by another request or instance) or
   * does not exist. Closing and escalating go through it, so neither undoes a close.
   */
  updateOpen(supportCase: Case): Promise<boolean>;
  /** Re-points every case, open or closed, of customer `fromId` to `toId`, in one write; resolves with how many moved. */
  moveCustomer(fromId: string, toId: string): Promise<number>;
}

export interface DealRepo {
  get(id: string): Promise<Deal | null>;
  /** A customer's deals, open and closed, the most recently changed first. */
  byCustomer(customerId: string): Promise<Deal[]>;
  /** Every open deal (not won, not lost), the most recently changed first. */
  open(): Promise<Deal[]>;
  /** Deals created or changed at or after `since`, the most recently changed first. */
  changedSince(since: Date): Promise<Deal[]>;
  /** Deals won at or after `since` (by `closedAt`), the most recently won first. */
  wonSince(since: Date): Promise<Deal[]>;
  insert(deal: Deal): Promise<void>;
  update(deal: Deal): Promise<void>;
  /** Re-points every deal of customer `fromId` to `toId`, in one write; resolves with how many moved. */
  moveCustomer(fromId: string, toId: string): Promise<number>;
}

export interface JobRunRepo {
  get(name: string): Promise<JobRun | null>;
  /** Every job that has run, by name. */
  list(): Promise<JobRun[]>;
  /** Inserts or replaces by name. */
  put(run: JobRun): Promise<void>;
}

export interface DigestLog {
  /** The digest sent to a member for a day of their calendar (`YYYY-MM-DD`), if any. */
  get(memberId: string, date: string): Promise<DigestSent | null>;
  /** Records a digest sent; a second one for the same member and day is a ConflictError. */
  insert(digest: DigestSent): Promise<void>;
  /** Forgets a member's digest of a day (one that could not be sent after all), so that it can be sent again. */
  remove(memberId: string, date: string): Promise<void>;
}
