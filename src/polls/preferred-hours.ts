import type { PreferredHours } from '../domain/contact.ts';
import { addDays, zonedParts, zonedToInstant } from '../time/zoned.ts';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a message to a contact may go: `now` when it is inside their preferred
 * hours (or they have none), else the next start of the window, read in their
 * own zone. A window whose end is before its start runs past midnight
 * (22:00-06:00); one whose ends are equal is the whole day.
 */
export function nextSendAt(hours: PreferredHours | undefined, now: Date): Date {
  if (!hours) return now;
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  const local = zonedParts(now, hours.tz);
  const minute = local.hour * 60 + local.minute;
  const inside = from === to || (from < to ? minute >= from && minute < to : minute >= from || minute < to);
  if (inside) return now;
  const day = minute < from ? local : addDays(local, 1);
  return zonedToInstant({ year: day.year, month: day.month, day: day.day, hour: Math.floor(from / 60), minute: from % 60 }, hours.tz);
}
