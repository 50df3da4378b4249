import { z } from 'zod';

/** An instant, stored as an ISO-8601 UTC string so the JSON files stay readable. */
export const instant = z.iso.datetime({ offset: false });

/** A time of day, `HH:MM` on a 24-hour clock. */
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:30');

/** A day on the calendar, `YYYY-MM-DD`. */
export const calendarDate = z.iso.date();

/** A lower-case mail domain such as `acme.com`. */
export const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a domain such as acme.com');

/** A lower-case mail address. */
export const emailAddress = z
  .string()
  .regex(/^[^\s@<>]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'an address such as jane@acme.com');

/** An IANA time zone name that this Node.js knows, such as `Europe/Paris`. */
export const timeZone = z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Paris');

/** The names found good: asking Intl builds a formatter, tens of microseconds, and every member read from PostgreSQL is checked. */
const knownTimeZones = new Set<string>();

export function isTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return false;
  }
  knownTimeZones.add(name);
  return true;
}
