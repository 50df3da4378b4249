import type { Reminder } from '../../domain/reminder.ts';
import { ForbiddenError, NotFoundError, UserInputError } from '../../errors.ts';
import type { Block, Reply } from '../../reply.ts';
import { replyOf, textReply } from '../../reply.ts';
import { resolveCustomer } from '../../resolve/customer-reference.ts';
import { formatInZone } from '../../time/zoned.ts';
import { zoneOf, type CommandContext } from '../context.ts';
import { excerpt, number } from '../render/format.ts';

/** Snooze choices offered on a delivered reminder, read in the owner's zone when clicked. */
export const snoozeChoices = [
  { label: 'Snooze 1 hour', when: 'in 1 hour' },
  { label: 'Tomorrow 9am', when: 'tomorrow 9am' },
] as const;

/** `/crm remind <customer> <when> <text>` */
export async function remind(ctx: CommandContext, reference: string, dueAt: Date, text: string): Promise<Reply> {
  const customer = await resolveCustomer(ctx.store, reference);
  const reminder = await createReminder(ctx, customer.id, dueAt, text);
  return textReply(`I'll remind you ${formatInZone(dueAt, zoneOf(ctx, ctx.actor), ctx.clock.now())} about *${customer.name}*: ${reminder.text} (${reminder.id})`);
}

export async function createReminder(ctx: CommandContext, customerId: string, dueAt: Date, text: string): Promise<Reminder> {
  const now = ctx.clock.now();
  const reminder: Reminder = {
    id: ctx.ids('rem'),
    customerId,
    ownerId: ctx.actor.id,
    text: text.trim(),
    dueAt: dueAt.toISOString(),
    status: 'open',
    deliveredAt: null,
    doneAt: null,
    createdAt: now.toISOString(),
  };
  await ctx.store.reminders.insert(reminder);
  return reminder;
}

/** `/crm remind list`: the actor's open reminders, overdue ones marked, each with its buttons. */
export async function listReminders(ctx: CommandContext): Promise<Reply> {
  const reminders = await ctx.store.reminders.openByOwner(ctx.actor.id);
  if (reminders.length === 0) return textReply('You have no open reminders. Set one with /crm remind <customer> <when> <text>.');
  const now = ctx.clock.now();
  const tz = zoneOf(ctx, ctx.actor);
  const blocks: Block[] = [{ type: 'heading', text: `Your open reminders (${number(reminders.length)})` }];
  blocks.push(...(await reminderList(ctx, reminders, tz, now, { withButtons: 20, inAll: 70 })));
  blocks.push({ type: 'context', text: `Times in ${tz}. Close one with /crm remind done <id>; move one with /crm remind snooze <id> <when>.` });
  return replyOf(blocks);
}

/**
 * Open reminders, soonest first, as far as a Slack message or the Home tab
 * has room: the first `withButtons` each with its Done and Snooze buttons,
 * the next up to `inAll` as plain lines, and how many more there are.
 */
export async function reminderList(ctx: CommandContext, reminders: readonly Reminder[], tz: string, now: Date, room: { withButtons: number; inAll: number }): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const reminder of reminders.slice(0, room.withButtons)) blocks.push(...(await reminderBlocks(ctx, reminder, tz, now)));
  const lines = reminders.slice(room.withButtons, room.inAll);
  if (lines.length > 0) blocks.push({ type: 'list', title: null, items: await Promise.all(lines.map((reminder) => reminderLine(ctx, reminder, tz, now))) });
  const more = reminders.length - room.inAll;
  if (more > 0) blocks.push({ type: 'context', text: `…and ${number(more)} more, due later: they show here as these are done.` });
  return blocks;
}

/** One open reminder as a line (when, which customer, what, its id) with its Done and Snooze buttons. */
async function reminderBlocks(ctx: CommandContext, reminder: Reminder, tz: string, now: Date): Promise<Block[]> {
  return [{ type: 'text', text: await reminderLine(ctx, reminder, tz, now) }, reminderButtons(reminder.id)];
}

async function reminderLine(ctx: CommandContext, reminder: Reminder, tz: string, now: Date): Promise<string> {
  const customer = await ctx.store.customers.get(reminder.customerId);
  const overdue = Date.parse(reminder.dueAt) <= now.getTime() ? ' (overdue)' : '';
  const when = formatInZone(new Date(reminder.dueAt), tz, now);
  return `*${when}*${overdue}, ${customer?.name ?? 'a removed customer'}: ${excerpt(reminder.text)} (${reminder.id})`;
}

export function reminderButtons(reminderId: string): Block {
  return {
    type: 'actions',
    actions: [
      { id: 'reminder_done', label: 'Done', value: reminderId, style: 'primary' },
      ...snoozeChoices.map((choice) => ({ id: 'reminder_snooze' as const, label: choice.label, value: `${reminderId} ${choice.when}`, style: null })),
    ],
  };
}

/** `/crm remind done <id>` and the Done button. */
export async function completeReminder(ctx: CommandContext, reference: string): Promise<Reply> {
  const reminder = await ownReminder(ctx, reference);
  if (reminder.status === 'done') return textReply(`That reminder was already done: ${reminder.text}`);
  await ctx.store.reminders.update({ ...reminder, status: 'done', doneAt: ctx.clock.now().toISOString() });
  return textReply(`Done: ${reminder.text}`);
}

/** `/crm remind snooze <id> <when>` and the Snooze buttons: a new time, delivered again then. */
export async function snoozeReminder(ctx: CommandContext, reference: string, until: Date): Promise<Reply> {
  const reminder = await ownReminder(ctx, reference);
  if (reminder.status === 'done') throw new UserInputError(`That reminder is already done, so it cannot be snoozed: ${reminder.text}`);
  await ctx.store.reminders.update({ ...reminder, dueAt: until.toISOString(), deliveredAt: null });
  return textReply(`Snoozed until ${formatInZone(until, zoneOf(ctx, ctx.actor), ctx.clock.now())}: ${reminder.text}`);
}

/** A reminder by its id or the unique start of it, among the actor's own. */
async function ownReminder(ctx: CommandContext, reference: string): Promise<Reminder> {
  const typed = reference.trim().toLowerCase();
  let reminder = await ctx.store.reminders.get(typed);
  if (!reminder) {
    const mine = (await ctx.store.reminders.openByOwner(ctx.actor.id)).filter((r) => r.id.startsWith(typed) || r.id.startsWith(`rem_${typed}`));
    if (mine.length > 1) throw new UserInputError(`"${reference}" is the start of ${mine.length} of your reminders: type more of the id (see /crm remind list).`);
    reminder = mine[0] ?? null;
  }
  if (!reminder) throw new NotFoundError(`You have no reminder "${reference}". See your reminders and their ids with /crm remind list.`);
  if (reminder.ownerId !== ctx.actor.id) throw new ForbiddenError('That reminder belongs to someone else; only its owner can close or move it.');
  return reminder;
}
