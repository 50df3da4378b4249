import type { Contact, PreferredHours } from '../../domain/contact.ts';
import type { Block } from '../../reply.ts';
import { monthNames, zonedParts, zonedToInstant } from '../../time/zoned.ts';

const dayMs = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** "Mar" for 3. */
function short(month: number): string {
  const name = monthNames[month - 1] ?? '';
  return name.charAt(0).toUpperCase() + name.slice(1, 3);
}

function contactName(contact: Contact): string {
  return contact.name ?? contact.email;
}

/** A contact on the card: who, and what to keep in mind before reaching out. */
export function contactLine(contact: Contact, viewerTz: string, now: Date): string {
  const who = contact.name ? `${contact.name} <${contact.email}>` : contact.email;
  const care = [
    ...(contact.optedOut ? [`⛔ opted out since ${dayOf(new Date(contact.optedOut.at), viewerTz, now)}`] : []),
    ...(contact.preferredHours ? [`prefers ${describeHours(contact.preferredHours, viewerTz, now)}`] : []),
    ...(contact.birthday ? [`birthday ${describeBirthday(contact.birthday)}`] : []),
  ];
  return care.length > 0 ? `${who}: ${care.join('; ')}` : who;
}

/** One warning per opted-out contact, for the top of the card, before anyone reaches out. */
export function optOutWarnings(contacts: readonly Contact[], viewerTz: string, now: Date): Block[] {
  const lines = contacts.flatMap((contact) =>
    contact.optedOut ? [`⚠️ ${contactName(contact)} asked not to be contacted unasked since ${dayOf(new Date(contact.optedOut.at), viewerTz, now)}.`] : [],
  );
  // One block however many: a message holds at most 50.
  return lines.length > 0 ? [{ type: 'text', text: lines.join('\n') }] : [];
}

/** "09:00–12:00 Asia/Shanghai (17:00–20:00 the day before, your time)"; the viewer's reading only when it differs. */
export function describeHours(hours: PreferredHours, viewerTz: string, now: Date): string {
  const own = `${hours.from}–${hours.to} ${hours.tz}`;
  const today = zonedParts(now, hours.tz);
  const local = (time: string) => {
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    return zonedParts(zonedToInstant({ year: today.year, month: today.month, day: today.day, hour, minute }, hours.tz), viewerTz);
  };
  const from = local(hours.from);
  const to = local(hours.to);
  const shift = Math.round((Date.UTC(from.year, from.month - 1, from.day) - Date.UTC(today.year, today.month - 1, today.day)) / dayMs);
  const fromText = `${pad(from.hour)}:${pad(from.minute)}`;
  const toText = `${pad(to.hour)}:${pad(to.minute)}`;
  if (shift === 0 && fromText === hours.from && toText === hours.to) return own;
  const day = shift > 0 ? ' the day after' : shift < 0 ? ' the day before' : '';
  return `${own} (${fromText}–${toText}${day}, your time)`;
}

/** "21 Mar", or "21 Mar 1984" when the year is known. */
export function describeBirthday(birthday: string): string {
  const parts = birthday.split('-').map(Number);
  const [month, day] = parts.slice(-2) as [number, number];
  return `${day} ${short(month)}${parts.length === 3 ? ` ${parts[0]}` : ''}`;
}

/** "3 Mar", with the year when it is not this year's. */
function dayOf(instant: Date, tz: string, now: Date): string {
  const at = zonedParts(instant, tz);
  return `${at.day} ${short(at.month)}${at.year === zonedParts(now, tz).year ? '' : ` ${at.year}`}`;
}
