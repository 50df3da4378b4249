import type { Customer } from '../../domain/customer.ts';
import { UserInputError } from '../../errors.ts';
import { mergeCustomers, type MergeCounts } from '../../merge/merge-customers.ts';
import { textReply, type Reply } from '../../reply.ts';
import { resolveCustomer } from '../../resolve/customer-reference.ts';
import { currentCustomer } from '../../resolve/follow-redirect.ts';
import type { Store } from '../../store/store.ts';
import { requireAdmin } from '../../team/require-admin.ts';
import type { CommandContext } from '../context.ts';
import { plural } from '../render/format.ts';

/**
 * `/crm merge <from> into <to>`, admins only. Both names are read as they
 * are stored, redirects included, so that a merge that was interrupted can
 * be run again by the same words, and a merge into a merged customer is
 * caught and pointed at what it became.
 */
export async function merge(ctx: CommandContext, fromReference: string, toReference: string): Promise<Reply> {
  await requireAdmin(ctx.store, ctx.actor, 'merge customers');
  const { store } = ctx;
  const from = (await storedCustomer(store, fromReference)) ?? (await resolveCustomer(store, fromReference));
  const named = await storedCustomer(store, toReference);
  if (named?.mergedInto !== undefined) {
    const target = await currentCustomer(store, named);
    if (target.id === from.id) return textReply(`*${named.name}* was already merged into *${from.name}*; there is nothing to do.`);
    throw new UserInputError(`*${named.name}* was merged into *${target.name}*: merge into that one instead, with /crm merge "${from.name}" into "${target.name}".`);
  }
  const to = named ?? (await resolveCustomer(store, toReference));
  if (from.id === to.id) {
    throw new UserInputError(`"${fromReference}" and "${toReference}" are both *${to.name}*: a customer cannot be merged into itself. Name the duplicate first, then the customer to keep.`);
  }
  if (from.mergedInto !== undefined && from.mergedInto !== to.id) {
    const target = await currentCustomer(store, from);
    throw new UserInputError(`*${from.name}* was already merged into *${target.name}*. To bring the two together, merge *${target.name}* into *${to.name}*, or the other way round.`);
  }
  const resumed = from.mergedInto === to.id;
  const counts = await mergeCustomers(store, from.id, to.id);
  const heading = resumed
    ? `*${from.name}* was already merged into *${to.name}*; ${anythingMoved(counts) ? 'this finished moving what was left' : 'nothing was left to move'}.`
    : `Merged *${from.name}* into *${to.name}*.`;
  const lines = [heading];
  if (!resumed || anythingMoved(counts)) lines.push(`Moved: ${describe(counts)}.`);
  if (counts.alreadyThere > 0) {
    lines.push(`${plural(counts.alreadyThere, 'mail')} ${counts.alreadyThere === 1 ? 'was' : 'were'} already on *${to.name}*'s timeline: its copy is kept, so each is there once.`);
  }
  lines.push(`*${from.name}* now leads to *${to.name}*: its name, its id and old buttons open *${to.name}*.`);
  return textReply(lines.join('\n'));
}

/** The customer stored under this id or exactly this name, merged or not; null when that is not one customer. */
async function storedCustomer(store: Store, reference: string): Promise<Customer | null> {
  const typed = reference.trim();
  const byId = await store.customers.get(typed);
  if (byId) return byId;
  const named = await store.customers.byName(typed);
  return named.length === 1 ? named[0]! : null;
}

function anythingMoved(counts: MergeCounts): boolean {
  const { domains, alreadyThere, ...moved } = counts;
  return domains.length > 0 || alreadyThere > 0 || Object.values(moved).some((count) => count > 0);
}

function describe(counts: MergeCounts): string {
  const domains = counts.domains.length > 0 ? `${plural(counts.domains.length, 'domain')} (${counts.domains.join(', ')})` : '0 domains';
  return [
    domains,
    plural(counts.contacts, 'contact'),
    plural(counts.interactions, 'interaction'),
    plural(counts.reminders, 'reminder'),
    plural(counts.polls, 'poll'),
    plural(counts.cases, 'case'),
    plural(counts.deals, 'deal'),
    plural(counts.channels, 'linked channel'),
  ].join(', ');
}
