import { breathe } from '../breathe.ts';
import type { Clock } from '../clock.ts';
import { excerpt, formatAmount, number, plural, relative } from '../commands/render/format.ts';
import type { Customer } from '../domain/customer.ts';
import type { Deal } from '../domain/deal.ts';
import { suspectedDuplicates } from '../duplicates/suspected-duplicates.ts';
import type { Interaction } from '../domain/interaction.ts';
import type { Member } from '../domain/member.ts';
import { dayMs, isDetractor, isTouch, span, timelineRead, type Tier } from '../insights/facts.ts';
import { isLost } from '../insights/lifecycle.ts';
import { churnRisk } from '../insights/risk.ts';
import { sparkline } from '../insights/sparkline.ts';
import { unansweredMail } from '../insights/unanswered.ts';
import { customerTiers, type Tiers } from '../insights/value.ts';
import { replyOf, textReply, type Block, type Reply } from '../reply.ts';
import type { Store } from '../store/store.ts';
import { instantMs } from '../time/instant.ts';
import { addDays, formatInZone, isValidDate, zonedParts } from '../time/zoned.ts';
import { digestScope, type DigestScope } from './scope.ts';
import { digestWindow, isoDate, type DigestWindow } from './window.ts';

export interface DigestDeps {
  store: Store;
  clock: Clock;
  defaultTimeZone: string;
  internalDomains: readonly string[];
}

/** A digest as sent: the message, and the titles of its sections (none when there was nothing to say). */
export interface Digest {
  reply: Reply;
  sections: string[];
}

interface Item {
  text: string;
  /** The card the item opens; null for an item about no one customer. */
  customerId: string | null;
}

interface Section {
  title: string;
  items: Item[];
}

/** What each section reads, gathered once. */
interface Context {
  deps: DigestDeps;
  reader: Member;
  tz: string;
  now: Date;
  window: DigestWindow;
  scope: DigestScope;
  customers: Map<string, Customer>;
  names: Map<string, string>;
  /** The scope's interactions of the last 30 days, newest first. */
  recent: Interaction[];
  tiers: Tiers;
}

/** Messages hold at most 50 blocks; a heading, a closing line and the sections' titles leave this many for items. */
const blockBudget = 48;
const itemsPerSection = 8;
/** Customers whose facts are read together (readInGroups), the event loop breathing between groups: a handful of milliseconds' work at a time. */
const customersPerBreath = 50;
/** Lighter work on each customer breathes less often… */
const customersPerSlice = 250;
/** …and a glance at each (its tier) less still. */
const customersPerGlance = 10_000;

/**
 * The morning digest (issue: where a manager should act today), computed
 * from the store's facts and the clock. A manager reads about their team; a
 * rep gets their own brief. Empty sections are left out; every item about a
 * customer has a button to its card.
 */
export async function buildDigest(deps: DigestDeps, reader: Member): Promise<Digest> {
  const now = deps.clock.now();
  const tz = reader.tz ?? deps.defaultTimeZone;
  const window = digestWindow(now, tz);
  const scope = await digestScope(deps.store, reader);
  const customers = new Map<string, Customer>();
  for (const [n, customer] of scope.customers.entries()) {
    if (n % customersPerGlance === customersPerGlance - 1) await breathe();
    customers.set(customer.id, customer);
  }
  const names = new Map((await deps.store.members.list()).map((member) => [member.id, member.name]));
  const recent = await recentOf(deps.store, [...customers.keys()], new Date(now.getTime() - 30 * dayMs));
  const ctx: Context = { deps, reader, tz, now, window, scope, customers, names, recent, tiers: await customerTiers(deps.store, now) };
  const sections = (
    scope.manager
      ? [activity(ctx), await overdueReminders(ctx), unanswered(ctx), await atRisk(ctx), await pollAnswers(ctx), await escalations(ctx), await movedDeals(ctx), await careDates(ctx), await toReview(ctx)]
      : [await overdueReminders(ctx), unanswered(ctx), await atRisk(ctx), await careDates(ctx)]
  ).filter((section): section is Section => section !== null && section.items.length > 0);
  const when = formatInZone(now, tz, now).split(',')[0];
  if (sections.length === 0) return { reply: textReply(`Nothing needs you today (${when}): no overdue reminders, unanswered mail or customers at risk.`), sections: [] };
  return { reply: render(`${scope.manager ? 'Your team' : 'Your day'}, ${when}`, sections), sections: sections.map((section) => section.title) };
}

function render(heading: string, sections: Section[]): Reply {
  let cap = itemsPerSection;
  while (cap > 1 && sections.reduce((sum, section) => sum + Math.min(cap, section.items.length) + (section.items.length > cap ? 1 : 0), 0) > blockBudget - sections.length) cap--;
  const blocks: Block[] = [{ type: 'heading', text: heading }];
  for (const section of sections) {
    blocks.push({ type: 'text', text: `*${section.title}*` });
    const shown = section.items.slice(0, cap);
    const plain = shown.filter((item) => item.customerId === null);
    if (plain.length > 0) blocks.push({ type: 'list', title: null, items: plain.map((item) => item.text) });
    for (const item of shown) {
      if (item.customerId !== null) blocks.push({ type: 'item', text: item.text, action: { id: 'view_customer', label: 'Open card', value: item.customerId, style: null } });
    }
    if (section.items.length > cap) blocks.push({ type: 'context', text: `and ${number(section.items.length - cap)} more` });
  }
  return replyOf(blocks);
}

/** Yesterday's touches per person (mail sent, calls, meetings, notes, messages), with the last seven working days as a sparkline. */
function activity(ctx: Context): Section | null {
  const { window } = ctx;
  // What the team did: mail the customer sent is theirs, not ours.
  const touches = ctx.recent.filter((i) => isTouch(i) && i.direction !== 'inbound');
  const items = ctx.scope.members.map((member) => {
    const theirs = touches.filter((i) => i.loggedBy === member.id);
    const inWindow = theirs.filter((i) => within(i.occurredAt, window.start, window.end));
    const perDay = window.days.map((day) => theirs.filter((i) => within(i.occurredAt, day.start, day.end)).length);
    const kinds = countBy(inWindow.map((i) => i.kind));
    const breakdown = kinds.length > 0 ? ` (${kinds.map(([kind, count]) => `${count} ${kind}`).join(', ')})` : '';
    const count = `${inWindow.length} touch${inWindow.length === 1 ? '' : 'es'}`;
    return { total: perDay.reduce((a, b) => a + b, 0), text: `${member.name}: ${count}${breakdown} ${sparkline(perDay)} over 7 working days` };
  });
  if (items.every((item) => item.total === 0)) return null;
  return { title: `Activity ${window.label}`, items: items.map((item) => ({ text: item.text, customerId: null })) };
}

async function overdueReminders(ctx: Context): Promise<Section> {
  const items: Item[] = [];
  const endOfToday = ctx.window.end.getTime() + dayMs;
  for (const member of ctx.scope.members) {
    for (const reminder of await ctx.deps.store.reminders.openByOwner(member.id)) {
      const due = Date.parse(reminder.dueAt);
      const overdue = due < ctx.now.getTime();
      // A rep's brief also lists what is due later today.
      if (!overdue && (ctx.scope.manager || due >= endOfToday)) continue;
      const customer = (await ctx.deps.store.customers.get(reminder.customerId))?.name ?? 'a removed customer';
      const who = ctx.scope.manager ? `${member.name}: ` : '';
      const when = overdue ? `overdue by ${span(ctx.now.getTime() - due)}` : `due ${formatInZone(new Date(due), ctx.tz, ctx.now)}`;
      items.push({ text: `${who}"${reminder.text}" for *${customer}*, ${when}`, customerId: reminder.customerId });
    }
  }
  return { title: ctx.scope.manager ? 'Overdue reminders' : 'Your reminders', items };
}

/** Customer mail nobody answered within two working days, counted in the owner's zone. */
function unanswered(ctx: Context): Section {
  const byCustomer = group(ctx.recent, (i) => i.customerId);
  const items: Item[] = [];
  for (const [customerId, timeline] of byCustomer) {
    const customer = ctx.customers.get(customerId);
    if (!customer) continue;
    const owner = ctx.scope.members.find((member) => member.id === customer.ownerId);
    // The newest interactions, as the card reads them: each mail is checked against those after it.
    for (const { mail } of unansweredMail(timeline.slice(0, timelineRead), ctx.now, owner?.tz ?? ctx.tz, ctx.deps.internalDomains)) {
      const from = mail.participants.find((address) => !ctx.deps.internalDomains.some((domain) => address.endsWith(`@${domain}`))) ?? 'the customer';
      const ownerText = ctx.scope.manager && customer.ownerId ? `; owner ${ctx.names.get(customer.ownerId) ?? customer.ownerId}` : '';
      items.push({ text: `*${customer.name}*: "${excerpt(mail.summary, 80)}" from ${from}, ${relative(new Date(mail.occurredAt), ctx.now)}, no reply in 2 working days${ownerText}`, customerId });
    }
  }
  return { title: 'Unanswered customer mail', items };
}

/**
 * A manager's A and B customers at risk, A first; a rep's own accounts at
 * risk, whatever their tier. Within a tier, the most valuable first: the
 * section shows only the first few.
 */
async function atRisk(ctx: Context): Promise<Section> {
  const { store } = ctx.deps;
  const byTier: Record<Tier, { customer: Customer; tier: Tier | null; value: number }[]> = { A: [], B: [], C: [] };
  for (const [n, customer] of ctx.scope.customers.entries()) {
    if (n % customersPerGlance === customersPerGlance - 1) await breathe();
    const tier = ctx.tiers.of(customer.id);
    byTier[tier ?? 'C'].push({ customer, tier, value: ctx.tiers.valueOf(customer.id) });
  }
  let candidates: (typeof byTier)[Tier] = [];
  for (const tier of ctx.scope.manager ? (['A', 'B'] as const) : (['A', 'B', 'C'] as const)) {
    await breathe();
    candidates = candidates.concat(byTier[tier].sort((a, b) => b.value - a.value));
  }
  // Those still within reach first; those silent so long that their card says lost after them, marked so.
  const items: Item[] = [];
  const lost: Item[] = [];
  const factsOf = ({ customer }: (typeof candidates)[number]) =>
    Promise.all([
      store.interactions.byCustomer(customer.id, timelineRead),
      store.deals.byCustomer(customer.id),
      store.polls.byCustomer(customer.id),
      store.cases.byCustomer(customer.id),
    ]);
  for await (const [{ customer, tier }, [interactions, deals, polls, cases]] of readInGroups(candidates, factsOf)) {
    const risk = churnRisk({ customer, interactions, deals, polls, cases, tier }, ctx.now);
    if (!risk.atRisk) continue;
    const lastTouch = interactions.find(isTouch);
    const gone = isLost(lastTouch ? ctx.now.getTime() - instantMs(lastTouch.occurredAt) : null);
    const label = [tier, gone ? 'lost' : null].filter((part) => part !== null).join(', ');
    (gone ? lost : items).push({ text: `*${customer.name}*${label ? ` (${label})` : ''}: ${risk.reasons.join('; ')}`, customerId: customer.id });
  }
  return { title: ctx.scope.manager ? 'A and B customers at risk' : 'Your accounts at risk', items: [...items, ...lost] };
}

/** Answers given or changed since the window began, detractors first. */
async function pollAnswers(ctx: Context): Promise<Section> {
  const answered: { item: Item; detractor: boolean }[] = [];
  for (const poll of await ctx.deps.store.polls.answeredSince(ctx.window.start)) {
    const customer = ctx.customers.get(poll.customerId);
    if (!customer) continue;
    for (const answer of poll.answers.filter((a) => Date.parse(a.updatedAt) >= ctx.window.start.getTime())) {
      const detractor = isDetractor(poll, answer.score);
      const scale = poll.kind === 'csat' ? `CSAT ${answer.score}/5` : `NPS ${answer.score}/10`;
      const comment = answer.comment ? `: "${excerpt(answer.comment, 120)}"` : '';
      answered.push({ detractor, item: { text: `*${customer.name}*: ${answer.respondent} answered ${scale}${detractor ? ', a detractor' : ''}${comment}`, customerId: customer.id } });
    }
  }
  return { title: 'New poll answers', items: [...answered.filter((a) => a.detractor), ...answered.filter((a) => !a.detractor)].map((a) => a.item) };
}

async function escalations(ctx: Context): Promise<Section> {
  const items: Item[] = [];
  for (const supportCase of await ctx.deps.store.cases.open()) {
    const customer = ctx.customers.get(supportCase.customerId);
    if (!customer || supportCase.escalatedAt === null) continue;
    items.push({
      text: `*${customer.name}*: "${excerpt(supportCase.text, 100)}", overdue by ${span(ctx.now.getTime() - Date.parse(supportCase.dueAt))}, escalated ${relative(new Date(supportCase.escalatedAt), ctx.now)}`,
      customerId: customer.id,
    });
  }
  return { title: 'Escalated cases', items };
}

/** Deals created or changed since the window began, the biggest first, with what changed. */
async function movedDeals(ctx: Context): Promise<Section> {
  const moved = (await ctx.deps.store.deals.changedSince(ctx.window.start)).filter((deal) => ctx.customers.has(deal.customerId)).sort((a, b) => b.amount - a.amount);
  return {
    title: `Deals that moved ${ctx.window.label}`,
    items: moved.map((deal) => {
      const customer = ctx.customers.get(deal.customerId)!.name;
      const name = deal.name === customer ? '' : `${deal.name}, `;
      return { text: `*${customer}*: ${name}${formatAmount(deal.amount)}, ${change(deal, ctx.window.start)}`, customerId: deal.customerId };
    }),
  };
}

function change(deal: Deal, since: Date): string {
  const first = deal.history.findIndex((step) => Date.parse(step.at) >= since.getTime());
  const before = first > 0 ? deal.history[first - 1]! : null;
  const after = deal.history.at(-1)!;
  if (!before) return `new deal, ${after.stage}`;
  const stage = before.stage === after.stage ? after.stage : `${before.stage} → ${after.stage}`;
  return before.amount === after.amount ? stage : `${stage} (was ${formatAmount(before.amount)})`;
}

/** Birthdays of contacts and anniversaries of becoming a customer in the coming week, the soonest first: a manager's A customers, a rep's own. */
async function careDates(ctx: Context): Promise<Section> {
  const week = Array.from({ length: 7 }, (_, i) => addDays(ctx.window.today, i));
  // A 29 February birthday falls on the 28th in other years.
  const dayOf = (monthDay: string) =>
    week.find((date) => isoDate(date).slice(5) === monthDay || (monthDay === '02-29' && date.month === 2 && date.day === 28 && !isValidDate({ year: date.year, month: 2, day: 29 }))) ?? null;
  const say = (date: { year: number; month: number; day: number }) => (isoDate(date) === ctx.window.date ? 'today' : formatInZone(new Date(Date.UTC(date.year, date.month - 1, date.day, 12)), 'UTC', ctx.now).split(',')[0]);
  const dated: { day: number; item: Item }[] = [];
  const cared: Customer[] = [];
  for (const [n, customer] of ctx.scope.customers.entries()) {
    if (n % customersPerGlance === customersPerGlance - 1) await breathe();
    if (!ctx.scope.manager || ctx.tiers.of(customer.id) === 'A') cared.push(customer);
  }
  for await (const [customer, contacts] of readInGroups(cared, (customer) => ctx.deps.store.contacts.byCustomer(customer.id))) {
    for (const contact of contacts) {
      const date = contact.birthday ? dayOf(contact.birthday.slice(-5)) : null;
      if (date) dated.push({ day: week.indexOf(date), item: { text: `*${customer.name}*: ${contact.name ?? contact.email}'s birthday, ${say(date)}`, customerId: customer.id } });
    }
    const since = zonedParts(new Date(customer.createdAt), ctx.tz);
    const anniversary = dayOf(isoDate(since).slice(5));
    const years = anniversary ? anniversary.year - since.year : 0;
    if (anniversary && years > 0) dated.push({ day: week.indexOf(anniversary), item: { text: `*${customer.name}*: ${plural(years, 'year')} a customer, ${say(anniversary)}`, customerId: customer.id } });
  }
  // Within a day, in the customers' order (sort is stable).
  return { title: 'Birthdays and anniversaries this week', items: dated.sort((a, b) => a.day - b.day).map(({ item }) => item) };
}

/** Suggested customers and suspected duplicates: decisions that keep the records, and so every report, true. */
async function toReview(ctx: Context): Promise<Section> {
  const pending = await ctx.deps.store.suggestions.pending(5);
  const duplicates = await suspectedDuplicates(ctx.deps.store, 5);
  return {
    title: 'To review',
    items: [
      ...pending.map((s) => ({ text: `${s.domain}, seen in ${plural(s.messageCount, 'mail')}: make it a customer with /crm suggestions accept ${s.domain}`, customerId: null })),
      ...duplicates.first.map(({ a, b, reasons }) => ({ text: `*${a.name}* and *${b.name}* may be one customer: ${reasons.join('; ')}. See /crm duplicates`, customerId: a.id })),
    ],
  };
}

/**
 * Each of `items` with what `read` gives for it, in order, read a group at a
 * time: a group's reads run at once (a PostgreSQL store answers them side by
 * side rather than one round trip after another), and the event loop breathes
 * between groups.
 */
async function* readInGroups<T, R>(items: readonly T[], read: (item: T) => Promise<R>): AsyncGenerator<[T, R]> {
  for (let start = 0; start < items.length; start += customersPerBreath) {
    await breathe();
    const group = items.slice(start, start + customersPerBreath);
    const results = await Promise.all(group.map(read));
    for (const [k, item] of group.entries()) yield [item, results[k]!];
  }
}

/** The recent interactions of many customers, a slice at a time, so that other requests are served in between. */
async function recentOf(store: Store, customerIds: string[], since: Date): Promise<Interaction[]> {
  const found: Interaction[] = [];
  for (let i = 0; i < customerIds.length; i += customersPerSlice) {
    found.push(...(await store.interactions.recentByCustomers(customerIds.slice(i, i + customersPerSlice), since)));
    await breathe();
  }
  const at = new Map(found.map((i) => [i, Date.parse(i.occurredAt)]));
  return found.sort((a, b) => at.get(b)! - at.get(a)!);
}

function within(instant: string, start: Date, end: Date): boolean {
  const at = Date.parse(instant);
  return at >= start.getTime() && at < end.getTime();
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function countBy(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}
