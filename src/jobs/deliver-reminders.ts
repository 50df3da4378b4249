import type { Clock } from '../clock.ts';
import { reminderButtons } from '../commands/handlers/remind.ts';
import { describeHours } from '../commands/render/contact-care.ts';
import type { Contact } from '../domain/contact.ts';
import { isConfigInvalid } from '../errors.ts';
import type { Reminder } from '../domain/reminder.ts';
import type { Logger } from '../logger.ts';
import type { Notifier, PostedMessage } from '../notifier.ts';
import { replyOf, type Reply } from '../reply.ts';
import type { Store } from '../store/store.ts';

/**
 * Sends every reminder that has come due and was not yet sent, as a DM to its
 * owner. A reminder is marked delivered only after Slack accepted the DM: a
 * crash in between sends it again rather than losing it, and a restart sends
 * what came due while the service was down.
 */
export async function deliverReminders(deps: { store: Store; clock: Clock; notifier: Notifier; log: Logger; defaultTimeZone: string }): Promise<number> {
  const now = deps.clock.now();
  let delivered = 0;
  const due = await deps.store.reminders.due(now);
  for (const reminder of due) {
    const customer = await deps.store.customers.get(reminder.customerId);
    const owner = await deps.store.members.get(reminder.ownerId);
    const contacts = await deps.store.contacts.byCustomer(reminder.customerId);
    const care = careNotes(contacts, owner?.tz ?? deps.defaultTimeZone, now);
    let reached: PostedMessage | null;
    try {
      reached = await deps.notifier.direct(reminder.ownerId, reminderMessage(reminder, customer?.name ?? 'a removed customer', care));
    } catch (error) {
      if (isConfigInvalid(error)) {
        // Every other DM would be refused the same way: they all wait, as they are, until it is fixed.
        deps.log.error(`No reminder can be sent: ${error.message} The ${due.length - delivered} due go out at the first run after.`);
        break;
      }
      // A passing failure (Slack down, rate limited): this one is tried again next run, the others go on.
      deps.log.error(`reminder ${reminder.id} could not be delivered; it is tried again next minute`, error);
      continue;
    }
    if (!reached) deps.log.warn(`reminder ${reminder.id} is due but its owner ${reminder.ownerId} cannot get a Slack DM; it stays in /crm remind list`);
    await deps.store.reminders.update({ ...reminder, deliveredAt: now.toISOString() });
    delivered++;
  }
  return delivered;
}

export function reminderMessage(reminder: Reminder, customerName: string, care: string[]): Reply {
  return replyOf([
    { type: 'text', text: `Reminder for *${customerName}*: ${reminder.text}` },
    ...(care.length > 0 ? [{ type: 'list' as const, title: 'Before you reach out', items: care }] : []),
    reminderButtons(reminder.id),
    { type: 'context', text: `Card: /crm find ${customerName} · ${reminder.id}` },
  ]);
}

/** What the customer's contacts asked for: an opt-out, hours to be reached in (read in the rep's zone too). */
function careNotes(contacts: readonly Contact[], tz: string, now: Date): string[] {
  return contacts.flatMap((contact) => {
    const who = contact.name ?? contact.email;
    if (contact.optedOut) return [`${who} asked not to be contacted unasked`];
    return contact.preferredHours ? [`${who} prefers ${describeHours(contact.preferredHours, tz, now)}`] : [];
  });
}
