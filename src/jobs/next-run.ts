import { parse } from 'node-cron';

const minuteMs = 60_000;
/** Every schedule guanxi uses matches within a year; a search stops there. */
const searchMinutes = 366 * 24 * 60;

/**
 * When a cron expression (node-cron syntax, read in UTC as the scheduler runs
 * it) next fires after `after`, to the minute; null if not within a year.
 */
export function nextRun(schedule: string, after: Date): Date | null {
  const fields = parse(schedule);
  const sets = {
    minute: new Set(fields.minute),
    hour: new Set(fields.hour),
    dayOfMonth: new Set(fields.dayOfMonth.map(Number)),
    month: new Set(fields.month),
    dayOfWeek: new Set(fields.dayOfWeek.map(Number)),
  };
  let at = Math.floor(after.getTime() / minuteMs) * minuteMs + minuteMs;
  for (let i = 0; i < searchMinutes; i++, at += minuteMs) {
    const date = new Date(at);
    if (
      sets.minute.has(date.getUTCMinutes()) &&
      sets.hour.has(date.getUTCHours()) &&
      sets.dayOfMonth.has(date.getUTCDate()) &&
      sets.month.has(date.getUTCMonth() + 1) &&
      sets.dayOfWeek.has(date.getUTCDay())
    ) {
      return date;
    }
  }
  return null;
}
