import type { Block, Reply } from '../../reply.ts';
import { replyOf } from '../../reply.ts';
import { zoneOf, type CommandContext } from '../context.ts';
import { number, relative } from '../render/format.ts';
import { reminderList } from './remind.ts';

/**
 * What the Home tab shows, well within its 100 blocks: a reminder with its
 * buttons takes two, a list of lines one per 3,000 characters.
 */
const reminderRoom = { withButtons: 10, inAll: 40 };
const accountsListed = 40;
const accountButtons = 25;

/** The App Home: the actor's open reminders, soonest first, and the accounts they own. */
export async function home(ctx: CommandContext): Promise<Reply> {
  const now = ctx.clock.now();
  const tz = zoneOf(ctx, ctx.actor);
  const [reminders, accounts] = await Promise.all([ctx.store.reminders.openByOwner(ctx.actor.id), ctx.store.customers.ownedBy(ctx.actor.id)]);
  const blocks: Block[] = [{ type: 'heading', text: 'Your open reminders' }];
  if (reminders.length === 0) blocks.push({ type: 'text', text: 'None. Set one with /crm remind <customer> <when> <text>.' });
  blocks.push(...(await reminderList(ctx, reminders, tz, now, reminderRoom)));
  blocks.push({ type: 'divider' }, { type: 'heading', text: `Your accounts (${number(accounts.length)})` });
  if (accounts.length === 0) {
    blocks.push({ type: 'text', text: 'You own no accounts yet. An admin or teammate can give you one with /crm assign <customer> @you.' });
  } else {
    const lines: string[] = [];
    for (const account of accounts.slice(0, accountsListed)) {
      const [last] = await ctx.store.interactions.byCustomer(account.id, 1);
      lines.push(`*${account.name}*: last touch ${last ? relative(new Date(last.occurredAt), now) : 'never'}`);
    }
    blocks.push({ type: 'list', title: null, items: lines });
    blocks.push({ type: 'actions', actions: accounts.slice(0, accountButtons).map((a) => ({ id: 'open_customer' as const, label: a.name.slice(0, 70), value: a.id, style: null })) });
    if (accounts.length > accountsListed) blocks.push({ type: 'context', text: `…and ${number(accounts.length - accountsListed)} more, by name: open any with /crm find <name>.` });
  }
  blocks.push({ type: 'context', text: `Times in ${tz}. Type /crm help in any channel for everything guanxi can do.` });
  return replyOf(blocks);
}
