import { addDays, zonedParts, zonedToInstant } from './zoned.ts';

/**
 * `days` working days (Monday to Friday) after `instant`, in `tz`, at the same
 * wall-clock time: Friday 15:00 plus two is Tuesday 15:00. A start on a
 * weekend counts from the Monday after, at midnight.
 */
export function addWorkingDays(instant: Date, days: number, tz: string): Date {
  const start = zonedParts(instant, tz);
  const weekend = start.weekday === 0 || start.weekday === 6;
  let date = weekend ? addDays(start, start.weekday === 6 ? 2 : 1) : { year: start.year, month: start.month, day: start.day };
  let weekday = weekend ? 1 : start.weekday;
  for (let left = days; left > 0; ) {
    date = addDays(date, 1);
    weekday = (weekday + 1) % 7;
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return zonedToInstant({ ...date, hour: weekend ? 0 : start.hour, minute: weekend ? 0 : start.minute }, tz);
}
