import { NotFoundError, UserInputError } from '../../errors.ts';
import { textReply, type Reply } from '../../reply.ts';
import { resolveCustomer } from '../../resolve/customer-reference.ts';
import type { CommandContext } from '../context.ts';

/** `/crm link #channel <customer>`: the channel's messages go to the customer's timeline. */
export async function linkChannel(ctx: CommandContext, channelId: string, reference: string): Promise<Reply> {
  const customer = await resolveCustomer(ctx.store, reference);
  const existing = await ctx.store.channels.get(channelId);
  if (existing && existing.customerId !== customer.id) {
    const other = await ctx.store.customers.get(existing.customerId);
    throw new UserInputError(`<#${channelId}> is already linked to *${other?.name ?? 'another customer'}*. Unlink it first with /crm unlink <#${channelId}>.`);
  }
  await ctx.store.channels.put({ id: channelId, customerId: customer.id, linkedBy: ctx.actor.id, linkedAt: ctx.clock.now().toISOString() });
  return textReply(`Messages in <#${channelId}> are now logged to *${customer.name}*. If guanxi is not in the channel yet, add it there with /invite @guanxi.`);
}

export async function unlinkChannel(ctx: CommandContext, channelId: string): Promise<Reply> {
  const removed = await ctx.store.channels.remove(channelId);
  return textReply(removed ? `<#${channelId}> is no longer logged. What was logged stays on the timeline.` : `<#${channelId}> was not linked to a customer.`);
}

/** `/crm unlink <interaction> <customer>`: off this timeline, and it stays off through later syncs. */
export async function unlinkInteraction(ctx: CommandContext, interactionId: string, reference: string): Promise<Reply> {
  const customer = await resolveCustomer(ctx.store, reference);
  const interaction = await ctx.store.interactions.get(interactionId);
  if (!interaction || interaction.customerId !== customer.id) {
    throw new NotFoundError(`*${customer.name}*'s timeline has no interaction ${interactionId}. The ids are on the card: /crm find ${customer.name}.`);
  }
  if (interaction.unlinkedAt) return textReply(`That was already taken off *${customer.name}*'s timeline.`);
  await ctx.store.interactions.update({ ...interaction, unlinkedAt: ctx.clock.now().toISOString(), unlinkedBy: ctx.actor.id });
  return textReply(`Took "${interaction.summary}" off *${customer.name}*'s timeline. Later syncs leave it off.`);
}
