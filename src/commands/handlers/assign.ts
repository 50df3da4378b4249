import { NotFoundError } from '../../errors.ts';
import { textReply, type Reply } from '../../reply.ts';
import { resolveCustomer } from '../../resolve/customer-reference.ts';
import { ensureMember } from '../../team/ensure-member.ts';
import type { CommandContext } from '../context.ts';
import { memberNames } from '../render/format.ts';
import { logInteraction } from './log.ts';

/**
 * `/crm assign <customer> @user`: a new owner. Nothing else changes: the whole
 * timeline stays with the customer, and the change itself is on it.
 */
export async function assign(ctx: CommandContext, reference: string, memberId: string): Promise<Reply> {
  const customer = await resolveCustomer(ctx.store, reference);
  const known = await ctx.store.members.get(memberId);
  if (!known && !(await ctx.directory.lookup(memberId))) {
    throw new NotFoundError('Slack does not know that person. Mention a member of this workspace with @, e.g. /crm assign acme @jane.');
  }
  const owner = known ?? (await ensureMember(ctx, memberId));
  if (customer.ownerId === owner.id) return textReply(`${owner.name} already owns *${customer.name}*.`);
  const previous = (await memberNames(ctx.store, [customer.ownerId])).get(customer.ownerId ?? '') ?? null;
  await ctx.store.customers.update({ ...customer, ownerId: owner.id });
  await logInteraction(ctx, {
    customerId: customer.id,
    kind: 'owner_change',
    summary: previous ? `Owner changed from ${previous} to ${owner.name}.` : `${owner.name} became the owner.`,
  });
  return textReply(`*${customer.name}* is now owned by ${owner.name}${previous ? ` (was ${previous})` : ''}. The whole history stays on the timeline: /crm find ${customer.name}.`);
}
