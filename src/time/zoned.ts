import { zoneOffset } from './zone-offset.ts';

/** A day on the calendar; `month` is 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock reading in some zone, to the minute. */
export interface LocalDateTime extends CalendarDate {
  hour: number;
  minute: number;
}

/** A wall-clock reading with its day of the week, 0 = Sunday. */
export interface ZonedParts extends LocalDateTime {
  weekday: number;
}

export const weekdayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export const monthNames = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
] as const;

const dayMs = 86_400_000;

/** The wall clock in `tz` at `instant`, to the second, written as if it were a UTC time (ms since the epoch). */
function wallMs(instant: number, tz: string): number {
  return Math.floor(instant / 1000) * 1000 + zoneOffset(instant, tz);
}

export function zonedParts(instant: Date, tz: string): ZonedParts {
  const wall = new Date(wallMs(instant.getTime(), tz));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  };
}

/**
 * The instant at which the wall clock in `tz` reads `local`. Assumes at most one
 * offset change within a day either side, which holds for every IANA zone today.
 * A time skipped by a spring-forward change moves forward by the size of the gap
 * (02:30 becomes 03:30); a time repeated by a fall-back change is its first occurrence.
 */
export function zonedToInstant(local: LocalDateTime, tz: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = zoneOffset(wall - dayMs, tz);
  const after = zoneOffset(wall + dayMs, tz);
  const matches = [wall - before, wall - after]
    .filter((candidate) => wallMs(candidate, tz) === wall)
    .sort((a, b) => a - b);
  // In a gap neither offset reads back; the offset from before the gap lands just past it.
  return new Date(matches[0] ?? wall - before);
}

export function isValidDate(date: CalendarDate): boolean {
  const { year, month, day } = date;
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Calendar arithmetic: the date `days` days after `date`, with no time zone involved. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

const short = (name: string) => name.charAt(0).toUpperCase() + name.slice(1, 3);
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A short, unambiguous reading of `instant` for a person in `tz`, such as
 * "Fri 4 Dec, 09:00"; the year is shown only when it is not the year of `now`.
 */
export function formatInZone(instant: Date, tz: string, now: Date): string {
  const at = zonedParts(instant, tz);
  const year = at.year === zonedParts(now, tz).year ? '' : ` ${at.year}`;
  const weekday = short(weekdayNames[at.weekday] ?? '');
  const month = short(monthNames[at.month - 1] ?? '');
  return `${weekday} ${at.day} ${month}${year}, ${pad(at.hour)}:${pad(at.minute)}`;
}
