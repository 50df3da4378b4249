import { dueLabel, isOverdue } from '../../cases/case-lines.ts';
import { defaultDeadline } from '../../cases/default-deadline.ts';
import type { Case } from '../../domain/case.ts';
import type { Customer } from '../../domain/customer.ts';
import { ConflictError, NotFoundError, UserInputError } from '../../errors.ts';
import { replyOf, textReply, type Block, type Reply } from '../../reply.ts';
import { exactCustomer, lookupCustomer, resolveCustomer } from '../../resolve/customer-reference.ts';
import type { Store } from '../../store/store.ts';
import { formatInZone } from '../../time/zoned.ts';
import { zoneOf, type CommandContext } from '../context.ts';
import { excerpt, memberNames, number, relative } from '../render/format.ts';

/** `/crm case list` shows this many; the rest are counted. */
const listedMax = 50;
/** A customer typed without quotes is looked for by at most this many words, loosely. */
const looseWordsMax = 4;

/** `/crm case <customer> <text> [due <when>]` */
export async function openCase(ctx: CommandContext, words: string[], customerMax: number, dueAt: Date | null): Promise<Reply> {
  const { customer, used } = await customerAtStart(ctx.store, words, customerMax);
  const now = ctx.clock.now();
  const tz = zoneOf(ctx, ctx.actor);
  const deadline = dueAt ? { at: dueAt, reason: 'as you asked' } : await defaultDeadline(ctx.store, customer, now, tz);
  const supportCase: Case = {
    id: ctx.ids('case'),
    customerId: customer.id,
    text: words.slice(used).join(' ').trim(),
    openedBy: ctx.actor.id,
    openedAt: now.toISOString(),
    dueAt: deadline.at.toISOString(),
    status: 'open',
    escalatedAt: null,
    escalatedTo: null,
    closedAt: null,
    closedBy: null,
    closeNote: null,
  };
  await ctx.store.cases.insert(supportCase);
  return textReply(
    `Opened case ${supportCase.id} on *${customer.name}*: ${excerpt(supportCase.text)}\n` +
      `Due ${formatInZone(deadline.at, tz, now)}, ${deadline.reason}. If it is still open then, it goes to the owner's manager.`,
  );
}

/**
 * The customer named by the first words, and how many words it took: the
 * longest start that names one exactly (an id, a domain, a whole name), else
 * the longest that finds one loosely; failing all, the first word's error.
 */
async function customerAtStart(store: Store, words: string[], customerMax: number): Promise<{ customer: Customer; used: number }> {
  for (let used = customerMax; used >= 1; used--) {
    const found = await exactCustomer(store, words.slice(0, used).join(' '));
    if (found) return { customer: found.customer, used };
  }
  for (let used = Math.min(customerMax, looseWordsMax); used > 1; used--) {
    const found = await lookupCustomer(store, words.slice(0, used).join(' '));
    if (found.kind === 'one') return { customer: found.customer, used };
  }
  return { customer: await resolveCustomer(store, words[0]!), used: 1 };
}

/** `/crm case list`: the team's open cases, overdue first, then the soonest due. */
export async function listCases(ctx: CommandContext): Promise<Reply> {
  const open = await ctx.store.cases.open();
  if (open.length === 0) return textReply('There are no open cases. Open one with /crm case <customer> <text> [due <when>].');
  const now = ctx.clock.now();
  const tz = zoneOf(ctx, ctx.actor);
  const shown = open.slice(0, listedMax);
  const customers = new Map<string, Customer | null>();
  for (const c of shown) if (!customers.has(c.customerId)) customers.set(c.customerId, await ctx.store.customers.get(c.customerId));
  const owners = [...customers.values()].map((customer) => customer?.ownerId ?? null);
  const names = await memberNames(ctx.store, [...shown.map((c) => c.openedBy), ...owners]);
  const overdue = open.filter((c) => isOverdue(c, now)).length;
  const blocks: Block[] = [
    { type: 'heading', text: `Open cases (${open.length}${overdue > 0 ? `, ${overdue} overdue` : ''})` },
    {
      type: 'list',
      title: null,
      items: shown.map((c) => {
        const customer = customers.get(c.customerId);
        const owner = customer?.ownerId ? names.get(customer.ownerId) : 'nobody';
        const opened = `opened ${relative(new Date(c.openedAt), now)} by ${names.get(c.openedBy)}`;
        return `${dueLabel(c, tz, now)}, *${customer?.name ?? 'a removed customer'}*: ${excerpt(c.text)} (${opened}; owner ${owner}; ${c.id})`;
      }),
    },
  ];
  if (open.length > shown.length) blocks.push({ type: 'text', text: `…and ${number(open.length - shown.length)} more, due later.` });
  blocks.push({ type: 'context', text: `Times in ${tz}. Close one with /crm case close <id> [note].` });
  return replyOf(blocks);
}

/** `/crm case close <id> [note]`: anyone on the team may close a case; the reply offers a poll to the customer. */
export async function closeCase(ctx: CommandContext, reference: string, note: string | null): Promise<Reply> {
  const supportCase = await findCase(ctx.store, reference);
  const now = ctx.clock.now();
  const customer = await ctx.store.customers.get(supportCase.customerId);
  const customerName = customer?.name ?? 'a removed customer';
  const closed = supportCase.status === 'open' && (await ctx.store.cases.updateOpen({ ...supportCase, status: 'closed', closedAt: now.toISOString(), closedBy: ctx.actor.id, closeNote: note }));
  if (!closed) {
    const current = (await ctx.store.cases.get(supportCase.id)) ?? supportCase;
    const closer = current.closedBy ? await ctx.store.members.get(current.closedBy) : null;
    const by = closer?.name ?? current.closedBy ?? 'someone';
    const when = current.closedAt ? ` ${relative(new Date(current.closedAt), now)}` : '';
    throw new ConflictError(`Case ${current.id} on *${customerName}* was already closed${when} by ${by}. See the open ones with /crm case list.`);
  }
  const told = `Closed case ${supportCase.id} on *${customerName}*: ${excerpt(supportCase.text)}${note ? `\nNote: ${note}` : ''}`;
  return replyOf([
    { type: 'text', text: told },
    { type: 'text', text: `Ask *${customerName}* how it went?` },
    { type: 'actions', actions: [{ id: 'poll_after_case', label: 'Send a satisfaction poll', value: supportCase.id, style: 'primary' }] },
  ]);
}

/** A case by its id or the unique start of it among the open ones. */
async function findCase(store: Store, reference: string): Promise<Case> {
  const typed = reference.trim().toLowerCase();
  const exact = await store.cases.get(typed);
  if (exact) return exact;
  const starting = (await store.cases.open()).filter((c) => c.id.startsWith(typed) || c.id.startsWith(`case_${typed}`));
  if (starting.length > 1) throw new UserInputError(`"${reference}" is the start of ${starting.length} open cases: type more of the id (see /crm case list).`);
  if (starting.length === 0) throw new NotFoundError(`There is no case "${reference}". See the open cases and their ids with /crm case list.`);
  return starting[0]!;
}
