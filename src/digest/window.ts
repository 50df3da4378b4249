import { isWorkingDay } from '../time/working-days.ts';
import { addDays, zonedParts, zonedToInstant, type CalendarDate } from '../time/zoned.ts';

/** The working days a digest looks back on, in its reader's zone. */
export interface DigestWindow {
  /** Today in the reader's zone, `YYYY-MM-DD`. */
  date: string;
  today: CalendarDate;
  /** From the start of the previous working day… */
  start: Date;
  /** …to the start of today. */
  end: Date;
  /** "yesterday", or "since Friday" after a weekend. */
  label: string;
  /** The last seven working days before today, oldest first: for sparklines. */
  days: { start: Date; end: Date }[];
}

const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function isoDate(date: CalendarDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function digestWindow(now: Date, tz: string): DigestWindow {
  const local = zonedParts(now, tz);
  const today: CalendarDate = { year: local.year, month: local.month, day: local.day };
  const workingDays: CalendarDate[] = [];
  for (let date = addDays(today, -1); workingDays.length < 7; date = addDays(date, -1)) if (isWorkingDay(date)) workingDays.unshift(date);
  const startOf = (date: CalendarDate) => zonedToInstant({ ...date, hour: 0, minute: 0 }, tz);
  const previous = workingDays.at(-1)!;
  const yesterday = isoDate(addDays(today, -1)) === isoDate(previous);
  const weekday = weekdayNames[new Date(Date.UTC(previous.year, previous.month - 1, previous.day)).getUTCDay()];
  return {
    date: isoDate(today),
    today,
    start: startOf(previous),
    end: startOf(today),
    label: yesterday ? 'yesterday' : `since ${weekday}`,
    days: workingDays.map((date) => ({ start: startOf(date), end: startOf(addDays(date, 1)) })),
  };
}
