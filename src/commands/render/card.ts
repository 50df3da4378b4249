import { caseBlocks } from '../../cases/case-lines.ts';
import type { Clock } from '../../clock.ts';
import type { Customer } from '../../domain/customer.ts';
import type { Interaction } from '../../domain/interaction.ts';
import { replyOf, type Block, type Reply } from '../../reply.ts';
import { pollSection } from '../../polls/poll-results.ts';
import type { Store } from '../../store/store.ts';
import { currentCustomer, mergedNote } from '../../resolve/follow-redirect.ts';
import { formatInZone } from '../../time/zoned.ts';
import { contactLine, optOutWarnings } from './contact-care.ts';
import { excerpt, memberNames, number, plural, relative } from './format.ts';
import { insightBlock } from './insights.ts';
import { timelineRead } from '../../insights/facts.ts';

const latestShown = 5;
/** A card is a Slack message, at most 50 blocks: a customer with thousands of contacts lists these. */
const contactsShown = 25;
/** Read past the shown ones, so that a busy Slack thread still leaves room for other touches. */
const latestRead = 25;

/** Why an interaction is on this timeline, in the card's words. */
const reasonLabel: Record<Interaction['linkReason'], string> = {
  manual: 'logged by hand',
  exact_address: "a contact's address",
  domain: 'their domain',
  channel: 'linked channel',
};

const kindLabel: Record<Interaction['kind'], string> = {
  call: 'call',
  meeting: 'meeting',
  note: 'note',
  message: 'Slack message',
  email: 'email',
  owner_change: 'owner change',
};

/** The customer card: who they are, who owns them, what happened last and what is promised next. */
export async function customerCard(deps: { store: Store; clock: Clock; internalDomains: readonly string[] }, customer: Customer, viewerTz: string): Promise<Reply> {
  // An old reference (a button, a name) to a merged customer shows what it became.
  const current = await currentCustomer(deps.store, customer);
  if (current !== customer) {
    const card = await customerCard(deps, current, viewerTz);
    return replyOf([{ type: 'context', text: mergedNote(customer, current) }, ...card.blocks]);
  }
  const { store } = deps;
  const now = deps.clock.now();
  const [contacts, reminders, timeline, total, polls, cases] = await Promise.all([
    store.contacts.byCustomer(customer.id),
    store.reminders.openByCustomer(customer.id),
    store.interactions.byCustomer(customer.id, timelineRead),
    store.interactions.countByCustomer(customer.id),
    store.polls.byCustomer(customer.id),
    store.cases.byCustomer(customer.id),
  ]);
  const latest = latestInteractions(timeline);
  const threads = groupThreads(latest).slice(0, latestShown);
  const names = await memberNames(store, [customer.ownerId, ...latest.map((i) => i.loggedBy), ...reminders.map((r) => r.ownerId)]);
  const last = latest.find((i) => i.kind !== 'owner_change');
  const lastTouch = last
    ? `${relative(new Date(last.occurredAt), now)} (${kindLabel[last.kind]} by ${names.get(last.loggedBy)})`
    : 'never';

  const blocks: Block[] = [
    { type: 'heading', text: customer.name },
    ...optOutWarnings(contacts, viewerTz, now),
    {
      type: 'fields',
      fields: [
        { label: 'Domains', value: customer.domains.join(', ') || 'none' },
        { label: 'Owner', value: customer.ownerId ? names.get(customer.ownerId)! : 'nobody yet' },
        { label: 'Last touch', value: lastTouch },
        { label: 'Timeline', value: plural(total, 'interaction') },
      ],
    },
    {
      type: 'list',
      title: contacts.length > contactsShown ? `Contacts (${number(contacts.length)}, the first ${contactsShown})` : 'Contacts',
      items: contacts.length > 0 ? contacts.slice(0, contactsShown).map((c) => contactLine(c, viewerTz, now)) : ['none yet: /crm add contact <email> [name]'],
    },
  ];
  if (reminders.length > 0) {
    blocks.push({
      type: 'list',
      title: 'Open reminders',
      items: reminders.map((r) => `${formatInZone(new Date(r.dueAt), viewerTz, now)}: ${excerpt(r.text)} (${names.get(r.ownerId)}, ${r.id})`),
    });
  }
  blocks.push(...(await caseBlocks(store, cases, viewerTz, now)));
  blocks.push(await insightBlock(deps, { customer, interactions: timeline, polls, cases }, viewerTz, now));
  blocks.push(...pollSection(polls, viewerTz, now));
  blocks.push({
    type: 'list',
    title: threads.length > 0 ? 'Latest' : 'Timeline',
    items: threads.length > 0 ? threads.map((t) => timelineLine(t, names, viewerTz, now)) : ['nothing logged yet'],
  });
  blocks.push({ type: 'context', text: `Times in ${viewerTz}. Each line says why it is here; take a wrong one off with /crm unlink <id> ${customer.name}.` });
  blocks.push({
    type: 'actions',
    actions: [
      { id: 'log_interaction', label: 'Log a call', value: customer.id, style: 'primary' },
      { id: 'set_reminder', label: 'Set a reminder', value: customer.id, style: null },
      { id: 'share_reply', label: 'Share in channel', value: customer.id, style: null },
    ],
  });
  return replyOf(blocks);
}

/**
 * What the card shows of the timeline (newest first). The newest few are
 * enough when none of them is a message in a Slack thread (whose other
 * messages further back would be counted on its line) and one of them is a
 * touch (for "Last touch"): the card then shows exactly what reading further
 * would show.
 */
function latestInteractions(timeline: readonly Interaction[]): Interaction[] {
  const newest = timeline.slice(0, latestShown);
  const enough = newest.length < latestShown || (newest.every((i) => threadOf(i) === null) && newest.some((i) => i.kind !== 'owner_change'));
  return enough ? newest : timeline.slice(0, latestRead);
}

interface TimelineItem {
  first: Interaction;
  /** How many messages of the same Slack thread it stands for. */
  count: number;
}

/** Messages of one Slack thread show as one line, at the thread's newest message. */
function groupThreads(latest: Interaction[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  const byThread = new Map<string, TimelineItem>();
  for (const interaction of latest) {
    const thread = threadOf(interaction);
    const known = thread ? byThread.get(thread) : undefined;
    if (known) {
      known.count++;
      continue;
    }
    const item = { first: interaction, count: 1 };
    items.push(item);
    if (thread) byThread.set(thread, item);
  }
  return items;
}

/** The Slack thread a message belongs to, as the card groups them; null for anything else. */
function threadOf(interaction: Interaction): string | null {
  return interaction.kind === 'message' && interaction.source?.threadId ? `${interaction.source.mailbox}:${interaction.source.threadId}` : null;
}

function timelineLine({ first: i, count }: TimelineItem, names: Map<string, string>, tz: string, now: Date): string {
  const label = count > 1 ? `Slack thread (${count} messages)` : i.kind === 'email' ? `email ${i.direction === 'outbound' ? 'sent' : 'received'}` : kindLabel[i.kind];
  const what = i.permalink ? `<${i.permalink}|${label}>` : label;
  const why = i.kind === 'owner_change' ? '' : ` (${reasonLabel[i.linkReason]}; ${i.id})`;
  return `${formatInZone(new Date(i.occurredAt), tz, now)}, ${what} by ${names.get(i.loggedBy)}: ${excerpt(i.summary)}${why}`;
}
