import { isClosedStage, type Deal, type DealStage } from '../../domain/deal.ts';
import type { Customer } from '../../domain/customer.ts';
import { UserInputError } from '../../errors.ts';
import { replyOf, textReply, type Reply } from '../../reply.ts';
import { resolveCustomer } from '../../resolve/customer-reference.ts';
import type { CommandContext } from '../context.ts';
import { grammar } from '../grammar.ts';
import { formatAmount, plural } from '../render/format.ts';

/** Open deals shown by `/crm deal list`; the rest are counted. */
const listLimit = 20;

/**
 * `/crm deal <customer> <amount> [stage] [name]`: a new deal, or a change to
 * one. A name picks the customer's deal of that name; without one, the
 * customer's only open deal changes, and with none open a new deal starts.
 * Every change of stage or amount is kept in the deal's history.
 */
export async function deal(ctx: CommandContext, reference: string, amount: number, stage: DealStage | null, name: string | null): Promise<Reply> {
  const customer = await resolveCustomer(ctx.store, reference);
  const deals = await ctx.store.deals.byCustomer(customer.id);
  const existing = name ? deals.find((d) => d.name.toLowerCase() === name.toLowerCase()) : onlyOpen(customer, deals.filter((d) => d.closedAt === null));
  const latest = deals[0];
  if (!existing && !name && latest && latest.amount === amount && latest.stage === (stage ?? 'lead')) {
    // The same command again, after its deal closed: most likely typed twice.
    return textReply(`${titleOf(latest, customer)} is already ${describe(latest)}; nothing changed. To record another deal like it, give it a name: /crm deal ${customer.name} ${formatAmount(amount)} ${latest.stage} "<name>"`);
  }
  const now = ctx.clock.now().toISOString();
  if (!existing) {
    const created: Deal = {
      id: ctx.ids('dea'),
      customerId: customer.id,
      name: name ?? defaultName(customer, deals),
      amount,
      stage: stage ?? 'lead',
      createdBy: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
      closedAt: isClosedStage(stage ?? 'lead') ? now : null,
      history: [{ at: now, by: ctx.actor.id, stage: stage ?? 'lead', amount }],
    };
    await ctx.store.deals.insert(created);
    return textReply(`New deal with *${customer.name}*: ${describe(created)}. Move it on with /crm deal ${customer.name} ${formatAmount(amount)} <stage>.`);
  }
  const next = stage ?? existing.stage;
  if (next === existing.stage && amount === existing.amount) {
    return textReply(`${titleOf(existing, customer)} is already ${describe(existing)}; nothing changed.`);
  }
  const updated: Deal = {
    ...existing,
    amount,
    stage: next,
    updatedAt: now,
    closedAt: isClosedStage(next) ? (isClosedStage(existing.stage) ? existing.closedAt : now) : null,
    history: [...existing.history, { at: now, by: ctx.actor.id, stage: next, amount }],
  };
  await ctx.store.deals.update(updated);
  return textReply(`${titleOf(updated, customer)}: ${describe(updated)} (was ${describe(existing)}).`);
}

/** `/crm deal list [customer]` */
export async function listDeals(ctx: CommandContext, reference: string | null): Promise<Reply> {
  if (reference) {
    const customer = await resolveCustomer(ctx.store, reference);
    const deals = await ctx.store.deals.byCustomer(customer.id);
    if (deals.length === 0) return textReply(`*${customer.name}* has no deals yet. Record one with /crm deal ${customer.name} <amount> [stage].`);
    const open = deals.filter((d) => d.closedAt === null);
    const closed = deals.filter((d) => d.closedAt !== null);
    return replyOf([
      { type: 'heading', text: `Deals with ${customer.name}` },
      ...(open.length > 0 ? [{ type: 'list' as const, title: `Open (${formatAmount(sum(open))})`, items: biggestFirst(open).map(describeNamed) }] : []),
      ...(closed.length > 0 ? [{ type: 'list' as const, title: 'Closed', items: closed.map(describeNamed) }] : []),
    ]);
  }
  const open = biggestFirst(await ctx.store.deals.open());
  if (open.length === 0) return textReply(`No open deals. Record one with ${grammar.deal.example}`);
  const shown = open.slice(0, listLimit);
  const names = new Map<string, string>();
  for (const d of shown) if (!names.has(d.customerId)) names.set(d.customerId, (await ctx.store.customers.get(d.customerId))?.name ?? d.customerId);
  return replyOf([
    { type: 'heading', text: `Open deals: ${plural(open.length, 'deal')}, ${formatAmount(sum(open))} in all` },
    { type: 'list', title: null, items: shown.map((d) => `*${names.get(d.customerId)}*: ${describeNamed(d)}`) },
    ...(open.length > shown.length ? [{ type: 'context' as const, text: `and ${plural(open.length - shown.length, 'smaller deal')}; see one customer's with /crm deal list <customer>.` }] : []),
  ]);
}

/** The customer's one open deal, null with none; several is a question back to the user. */
function onlyOpen(customer: Customer, open: Deal[]): Deal | null {
  if (open.length <= 1) return open[0] ?? null;
  const names = open.map((d) => `"${d.name}" (${describe(d)})`).join(', ');
  throw new UserInputError(`*${customer.name}* has ${open.length} open deals: ${names}. Add the name of the one you mean at the end.`, {
    usage: grammar.deal.usage,
    example: `/crm deal ${customer.name} ${formatAmount(open[0]!.amount)} won "${open[0]!.name}"`,
  });
}

function defaultName(customer: Customer, deals: Deal[]): string {
  const taken = new Set(deals.map((d) => d.name.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? customer.name : `${customer.name} #${n}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** "*Renewal* with *Acme*", or "The deal with *Acme*" when it is named after the customer. */
function titleOf(deal: Deal, customer: Customer): string {
  return deal.name === customer.name ? `The deal with *${customer.name}*` : `*${deal.name}* with *${customer.name}*`;
}

function describe(deal: Deal): string {
  return `${formatAmount(deal.amount)}, ${deal.stage}`;
}

function describeNamed(deal: Deal): string {
  return `${deal.name}: ${describe(deal)}`;
}

function biggestFirst(deals: Deal[]): Deal[] {
  return [...deals].sort((a, b) => b.amount - a.amount);
}

function sum(deals: Deal[]): number {
  return deals.reduce((total, d) => total + d.amount, 0);
}
