import type { Customer } from '../../domain/customer.ts';
import { replyOf, type Reply } from '../../reply.ts';
import { lookupCustomer, withReason, type Lookup } from '../../resolve/customer-reference.ts';
import { zoneOf, type CommandContext } from '../context.ts';
import { customerCard } from '../render/card.ts';

const listed = 10;

/** `/crm find`: one match shows its card; several are listed to choose from; none suggests the closest. */
export async function find(ctx: CommandContext, query: string): Promise<Reply> {
  const found = await lookupCustomer(ctx.store, query);
  if (found.kind === 'one') return customerCard(ctx, found.mergedFrom ?? found.customer, zoneOf(ctx, ctx.actor));
  if (found.kind === 'several') return choices(query, found);
  const hint = found.suggestions.length > 0 ? ` Did you mean ${found.suggestions.map((c) => `*${c.name}*`).join(' or ')}?` : '';
  return replyOf([
    { type: 'text', text: `No customer matches "${query}".${hint}` },
    ...(found.suggestions.length > 0 ? [openButtons(found.suggestions)] : []),
    { type: 'context', text: 'Search by name, domain (acme.com), or a contact\'s name or address. Add a customer with /crm add customer <name> [domain].' },
  ]);
}

function choices(query: string, { customers, via, partial }: Extract<Lookup, { kind: 'several' }>): Reply {
  const shown = customers.slice(0, listed);
  const more = customers.length - shown.length;
  const items = shown.map((c) => withReason(c.domains.length > 0 ? `*${c.name}* (${c.domains.join(', ')})` : `*${c.name}*`, via.get(c.id)));
  const heading = partial ? `Many customers match "${query}"; the best ${shown.length}:` : `${customers.length} customers match "${query}":`;
  const tail = partial ? 'Type more of the name, or a domain or address, to narrow it down.' : more > 0 ? `…and ${more} more; type more of the name.` : null;
  return {
    text: [heading, ...items.map((i) => `  • ${i}`), ...(tail ? [tail] : [])].join('\n'),
    blocks: [{ type: 'list', title: heading, items }, openButtons(shown), ...(tail ? [{ type: 'context' as const, text: tail }] : [])],
  };
}

function openButtons(customers: Customer[]) {
  return {
    type: 'actions' as const,
    actions: customers.slice(0, listed).map((c) => ({ id: 'open_customer' as const, label: c.name.slice(0, 70), value: c.id, style: null })),
  };
}
