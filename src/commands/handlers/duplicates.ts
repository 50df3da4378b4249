import { suspectedDuplicates } from '../../duplicates/suspected-duplicates.ts';
import { UserInputError } from '../../errors.ts';
import { replyOf, textReply, type Reply } from '../../reply.ts';
import { resolveCustomer } from '../../resolve/customer-reference.ts';
import type { CommandContext } from '../context.ts';
import { number } from '../render/format.ts';

const shown = 15;

/** `/crm duplicates`: pairs of customers that look like one, each with why, and the command that merges them. */
export async function listDuplicates(ctx: CommandContext): Promise<Reply> {
  const { count, first } = await suspectedDuplicates(ctx.store, shown);
  if (count === 0) return textReply('No suspected duplicates: no two customers share a domain name or a contact\'s domain, and no two names are near-identical.');
  const items = first.map(({ a, b, reasons }) => `*${a.name}* and *${b.name}*: ${reasons.join('; ')}. Merge: /crm merge "${b.name}" into "${a.name}"`);
  const more = count - first.length;
  return replyOf([
    { type: 'list', title: count === 1 ? '1 pair of customers looks like one customer' : `${number(count)} pairs of customers look like one customer`, items },
    ...(more > 0 ? [{ type: 'context' as const, text: `…and ${number(more)} more; the pairs with the most reasons come first.` }] : []),
    { type: 'context', text: 'Each pair ends with the command that keeps the first customer; swap the names to keep the other. Merging is for admins: everything moves, and the old name and id lead to the one kept. Not one customer? /crm duplicates dismiss <customer> and <customer>.' },
  ]);
}

/** `/crm duplicates dismiss <a> and <b>`: the pair is not one customer, and is listed no more. Noted on both, so that either record says so. */
export async function dismissDuplicate(ctx: CommandContext, references: [string, string]): Promise<Reply> {
  const a = await resolveCustomer(ctx.store, references[0]);
  const b = await resolveCustomer(ctx.store, references[1]);
  if (a.id === b.id) throw new UserInputError(`"${references[0]}" and "${references[1]}" are both *${a.name}*: name two different customers.`);
  for (const [customer, other] of [[a, b], [b, a]] as const) {
    const known = customer.notDuplicateOf ?? [];
    if (!known.includes(other.id)) await ctx.store.customers.update({ ...customer, notDuplicateOf: [...known, other.id] });
  }
  return textReply(`*${a.name}* and *${b.name}* are no longer listed as duplicates. If they turn out to be one after all, an admin can still merge them with /crm merge "${b.name}" into "${a.name}".`);
}
