import type { Store } from '../store/store.ts';

/** What a merge moved, by kind. */
export interface MergeCounts {
  domains: string[];
  contacts: number;
  interactions: number;
  /** Mail both customers had: the target's copy was kept, the merged customer's deleted. */
  alreadyThere: number;
  reminders: number;
  polls: number;
  cases: number;
  deals: number;
  channels: number;
}

/**
 * Merges customer `fromId` into `toId`. The redirect comes first, in one
 * write with the domains: from then on every reference to `from` leads to
 * `to`, and new mail goes to `to`. Then each kind of record moves, one write
 * per kind. Interrupted anywhere, running it again finds what is left and
 * finishes, so each count is what this run moved.
 */
export async function mergeCustomers(store: Store, fromId: string, toId: string): Promise<MergeCounts> {
  const domains = await store.customers.markMerged(fromId, toId);
  // What new mail and channel messages are logged by goes before the interactions, so none is logged to `from` after they moved.
  const contacts = await store.contacts.moveCustomer(fromId, toId);
  const channels = await store.channels.moveCustomer(fromId, toId);
  const { moved: interactions, alreadyThere } = await store.interactions.moveCustomer(fromId, toId);
  const reminders = await store.reminders.moveCustomer(fromId, toId);
  const polls = await store.polls.moveCustomer(fromId, toId);
  const cases = await store.cases.moveCustomer(fromId, toId);
  const deals = await store.deals.moveCustomer(fromId, toId);
  return { domains, contacts, interactions, alreadyThere, reminders, polls, cases, deals, channels };
}
