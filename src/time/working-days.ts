import { addDays, zonedParts, zonedToInstant, type CalendarDate } from './zoned.ts';

/** Monday to Friday; public holidays are not known. */
export function isWorkingDay(date: CalendarDate): boolean {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The moment `days` working days (Monday to Friday) after `from`, at the same
 * time of day on the wall clock in `tz`. A weekend is skipped, so something opened
 * on Friday with one working day is due on Monday, and one opened on Saturday
 * counts Monday as its first day. Public holidays are not known and count as working days.
 */
export function addWorkingDays(from: Date, days: number, tz: string): Date {
  const local = zonedParts(from, tz);
  let date = { year: local.year, month: local.month, day: local.day };
  for (let counted = 0; counted < days; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) counted++;
  }
  return zonedToInstant({ ...date, hour: local.hour, minute: local.minute }, tz);
}
