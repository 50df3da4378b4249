import { notAMessage, type Interaction, type InteractionKind } from '../../domain/interaction.ts';
import { textReply, type Reply } from '../../reply.ts';
import { resolveCustomer } from '../../resolve/customer-reference.ts';
import type { CommandContext } from '../context.ts';

export interface NewInteraction {
  customerId: string;
  kind: InteractionKind;
  summary: string;
  occurredAt?: Date;
  permalink?: string | null;
}

/** Puts one interaction on a customer's timeline, logged by the actor. */
export async function logInteraction(ctx: CommandContext, input: NewInteraction): Promise<Interaction> {
  const now = ctx.clock.now();
  const interaction: Interaction = {
    id: ctx.ids('int'),
    customerId: input.customerId,
    kind: input.kind,
    summary: input.summary.trim(),
    occurredAt: (input.occurredAt ?? now).toISOString(),
    loggedAt: now.toISOString(),
    loggedBy: ctx.actor.id,
    linkReason: 'manual',
    permalink: input.permalink ?? null,
    ...notAMessage,
  };
  await ctx.store.interactions.insert(interaction);
  return interaction;
}

/** `/crm log <customer> <call|meeting|note> <text>` */
export async function log(ctx: CommandContext, reference: string, kind: InteractionKind, text: string): Promise<Reply> {
  const customer = await resolveCustomer(ctx.store, reference);
  await logInteraction(ctx, { customerId: customer.id, kind, summary: text });
  return textReply(`Logged a ${kind} on *${customer.name}*'s timeline. See it with /crm find ${customer.name}.`);
}
