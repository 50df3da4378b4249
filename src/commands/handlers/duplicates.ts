import { suspectedDuplicates } from '../../duplicates/suspected-duplicates.ts';
import { replyOf, textReply, type Reply } from '../../reply.ts';
import type { CommandContext } from '../context.ts';

const shown = 15;

/** `/crm duplicates`: pairs of customers that look like one, each with why, and the command that merges them. */
export async function listDuplicates(ctx: CommandContext): Promise<Reply> {
  const { count, first } = await suspectedDuplicates(ctx.store, shown);
  if (count === 0) return textReply('No suspected duplicates: no two customers share a domain name or a contact\'s domain, and no two names are near-identical.');
  const items = first.map(({ a, b, reasons }) => `*${a.name}* and *${b.name}*: ${reasons.join('; ')}. Merge: /crm merge "${b.name}" into "${a.name}"`);
  const more = count - first.length;
  return replyOf([
    { type: 'list', title: count === 1 ? '1 pair of customers looks like one customer' : `${count} pairs of customers look like one customer`, items },
    ...(more > 0 ? [{ type: 'context' as const, text: `…and ${more} more; the pairs with the most reasons come first.` }] : []),
    { type: 'context', text: 'Each pair ends with the command that keeps the first customer; swap the names to keep the other. Merging is for admins: everything moves, and the old name and id lead to the one kept.' },
  ]);
}
