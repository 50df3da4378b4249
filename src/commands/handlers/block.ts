import type { Customer } from '../../domain/customer.ts';
import { textReply, type Reply } from '../../reply.ts';
import { customerOfDomain } from '../../resolve/customer-reference.ts';
import type { Store } from '../../store/store.ts';
import { requireAdmin } from '../../team/require-admin.ts';
import type { CommandContext } from '../context.ts';

/** `/crm block`: mail from or to this address or domain is never logged from now on. Admins only. */
export async function block(ctx: CommandContext, target: string): Promise<Reply> {
  await requireAdmin(ctx.store, ctx.actor, 'block an address or a domain');
  await ctx.store.blocks.put({ id: target, createdAt: ctx.clock.now().toISOString(), createdBy: ctx.actor.id });
  const what = target.startsWith('@') ? `anyone at ${target.slice(1)}` : target;
  const customer = await customerBehind(ctx.store, target);
  const warning = customer ? ` Note: it is ${target.startsWith('@') ? `a domain of ${customer.name}` : `a contact of ${customer.name}`}, so ${customer.name}'s mail with it stops being logged too.` : '';
  return textReply(`Blocked: mail with ${what} is not logged from now on.${warning} What was logged before stays; take a mail off a timeline with /crm unlink. Undo with /crm unblock ${target}.`);
}

/** The customer a blocked domain or address belongs to, if any: blocking it is then worth a second look. */
async function customerBehind(store: Store, target: string): Promise<Customer | null> {
  if (target.startsWith('@')) return customerOfDomain(store, target.slice(1));
  const contact = await store.contacts.byEmail(target);
  return contact?.customerId ? store.customers.get(contact.customerId) : null;
}

export async function unblock(ctx: CommandContext, target: string): Promise<Reply> {
  await requireAdmin(ctx.store, ctx.actor, 'unblock an address or a domain');
  const removed = await ctx.store.blocks.remove(target);
  return textReply(removed ? `Unblocked ${target}: its mail is logged again from now on.` : `${target} was not blocked. See what is with /crm block list.`);
}

export async function listBlocks(ctx: CommandContext): Promise<Reply> {
  const blocks = await ctx.store.blocks.list();
  if (blocks.length === 0) return textReply('Nothing is blocked. Block an address or a domain with /crm block jane@example.com or /crm block @example.com.');
  return textReply(`Not logged (${blocks.length}):\n${blocks.map((b) => `  • ${b.id}`).join('\n')}`);
}
