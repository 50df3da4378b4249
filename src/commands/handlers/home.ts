import { isTouch, timelineRead } from '../../insights/facts.ts';
import { recentTiers } from '../../insights/value.ts';
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

const tierRank = { A: 0, B: 1, C: 2 } as const;

/** The App Home: the actor's open reminders, soonest first, and the accounts they own, the most valuable first. */
export async function home(ctx: CommandContext): Promise<Reply> {
  const now = ctx.clock.now();
  const tz = zoneOf(ctx, ctx.actor);
  const [reminders, owned, tiers] = await Promise.all([ctx.store.reminders.openByOwner(ctx.actor.id), ctx.store.customers.ownedBy(ctx.actor.id), recentTiers(ctx.store, now)]);
  // By tier, then value; accounts of equal value stay in the order of their names (sort is stable).
  const accounts = owned
    .map((customer) => ({ customer, tier: tiers.of(customer.id), value: tiers.valueOf(customer.id) }))
    .sort((a, b) => tierRank[a.tier ?? 'C'] - tierRank[b.tier ?? 'C'] || b.value - a.value);
  const blocks: Block[] = [{ type: 'heading', text: 'Your open reminders' }];
  if (reminders.length === 0) blocks.push({ type: 'text', text: 'None. Set one with /crm remind <customer> <when> <text>.' });
  blocks.push(...(await reminderList(ctx, reminders, tz, now, reminderRoom)));
  blocks.push({ type: 'divider' }, { type: 'heading', text: `Your accounts (${number(accounts.length)})` });
  if (accounts.length === 0) {
    blocks.push({ type: 'text', text: 'You own no accounts yet. An admin or teammate can give you one with /crm assign <customer> @you.' });
  } else {
    const listed = accounts.slice(0, accountsListed);
    // Asked for at once, so that PostgreSQL reads them in one query.
    const timelines = await Promise.all(listed.map(({ customer }) => ctx.store.interactions.byCustomer(customer.id, timelineRead)));
    const lines = listed.map(({ customer, tier }, n) => {
      // As on the card, a change of owner is no touch.
      const last = timelines[n]!.find(isTouch);
      return `*${customer.name}*${tier ? ` (${tier})` : ''}: last touch ${last ? relative(new Date(last.occurredAt), now) : 'never'}`;
    });
    blocks.push({ type: 'list', title: null, items: lines });
    blocks.push({ type: 'actions', actions: accounts.slice(0, accountButtons).map(({ customer: c }) => ({ id: 'open_customer' as const, label: c.name.slice(0, 70), value: c.id, style: null })) });
    const notes = [
      accounts.length > accountsListed ? `…and ${number(accounts.length - accountsListed)} more: open any with /crm find <name>.` : null,
      accounts.some((a) => a.tier !== null) ? `The most valuable first: tiers by ${tiers.basis}.` : null,
    ].filter((note) => note !== null);
    if (notes.length > 0) blocks.push({ type: 'context', text: notes.join(' ') });
  }
  blocks.push({ type: 'context', text: `Times in ${tz}. Type /crm help in any channel for everything guanxi can do.` });
  return replyOf(blocks);
}
