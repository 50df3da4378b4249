import type { Interaction } from '../domain/interaction.ts';
import { addWorkingDays } from '../time/working-days.ts';
import { dayMs } from './facts.ts';
import { instantMs } from '../time/instant.ts';

/** Customer mail with no reply from the team, and since when it counts as unanswered. */
export interface Unanswered {
  mail: Interaction;
  /** Two working days after it arrived, in the zone given. */
  dueAt: Date;
}

/** A reply is due within this many working days. */
export const replyWorkingDays = 2;
/** Mail older than this is history, not a task. */
const lookBackDays = 30;

/**
 * The customer's inbound mail of the last 30 days that nobody answered within
 * two working days (counted in `tz`). A mail is answered by a later outbound
 * mail in its thread or to any of its outside addresses, or by a later call or
 * meeting with the customer. `interactions` is the timeline, newest first.
 * A reply is known by its thread or, sent from another mailbox, by its
 * subject and its people: mail stores no In-Reply-To.
 */
export function unansweredMail(interactions: readonly Interaction[], now: Date, tz: string, internalDomains: readonly string[]): Unanswered[] {
  const at = now.getTime();
  const outside = (address: string) => !internalDomains.includes(address.slice(address.indexOf('@') + 1));
  const found: Unanswered[] = [];
  for (const [i, mail] of interactions.entries()) {
    if (mail.kind !== 'email' || mail.direction !== 'inbound') continue;
    const received = instantMs(mail.occurredAt);
    if (at - received > lookBackDays * dayMs) break;
    const dueAt = addWorkingDays(new Date(received), replyWorkingDays, tz);
    if (dueAt.getTime() > at) continue;
    const people = new Set(mail.participants.filter(outside));
    const thread = mail.source?.threadId ?? null;
    const subject = topic(mail.summary);
    const answered = interactions.slice(0, i).some(
      (later) =>
        later.kind === 'call' ||
        later.kind === 'meeting' ||
        (later.kind === 'email' &&
          later.direction === 'outbound' &&
          ((thread !== null && later.source?.threadId === thread) ||
            // A reply from another rep's mailbox is in a thread of that mailbox: same people, same subject.
            (topic(later.summary) === subject && later.participants.some((address) => people.has(address))))),
    );
    if (!answered) found.push({ mail, dueAt });
  }
  return found;
}

/** A subject without its Re:, Fwd: and the like, for matching a reply to what it answers. */
function topic(subject: string): string {
  return subject.replace(/^\s*((re|fwd?|aw|sv|tr)\s*:\s*)+/i, '').trim().toLowerCase();
}
