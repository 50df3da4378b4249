import type { PreferredHours } from '../domain/contact.ts';
import { emailAddress, isTimeZone } from '../domain/fields.ts';
import { isValidDate, monthNames } from '../time/zoned.ts';
import type { Command, CommandName, ParseContext } from './command.ts';
import { usageError } from './grammar.ts';
import { joined, keyword, type Token } from './tokenize.ts';

/** `optout <email>`, `optin <email>`, `forget <email>`: one address and nothing else. */
export function parseAddressOnly(rest: readonly Token[], name: 'optout' | 'optin' | 'forget'): Command {
  const email = addressOf(rest[0], name);
  if (rest.length > 1) throw usageError(name, `Give only the address, e.g. /crm ${name} ${email}.`);
  return { name, email };
}

/** `prefer <email> <from>-<to> [zone]`, or `prefer <email> none`. */
export function parsePrefer(rest: readonly Token[], ctx: ParseContext): Command {
  const [first, ...others] = rest;
  const email = addressOf(first, 'prefer');
  if (others.length === 1 && keyword(others[0]) === 'none') return { name: 'prefer', email, hours: null };
  if (others.length === 0) throw usageError('prefer', `Say the hours after the address, such as 9-12, 09:00-12:30 or 2pm-5pm, and a zone if they are not in yours (${ctx.tz}).`);
  const last = others[others.length - 1]!;
  const zoneGiven = others.length > 1 && /^[a-z]/i.test(last.text) && !/^(am|pm|to)$/i.test(last.text);
  const tz = zoneGiven ? canonicalZone(last.text) : ctx.tz;
  if (tz === null) throw usageError('prefer', `"${last.text}" is not a time zone. Give an IANA name such as Europe/Paris, America/New_York or Asia/Shanghai.`);
  const range = readRange(joined(zoneGiven ? others.slice(0, -1) : others));
  if (typeof range === 'string') throw usageError('prefer', range);
  return { name: 'prefer', email, hours: { ...range, tz } };
}

/** `birthday <email> <date>`, or `birthday <email> none`. */
export function parseBirthday(rest: readonly Token[], ctx: ParseContext): Command {
  const [first, ...others] = rest;
  const email = addressOf(first, 'birthday');
  if (others.length === 1 && keyword(others[0]) === 'none') return { name: 'birthday', email, birthday: null };
  const typed = joined(others);
  if (!typed) throw usageError('birthday', 'Say the date after the address: 03-21, 1984-03-21, 21 mar or mar 21.');
  const birthday = readBirthday(typed, ctx.now.getUTCFullYear());
  if (typeof birthday !== 'string') throw usageError('birthday', birthday.problem);
  return { name: 'birthday', email, birthday };
}

function addressOf(token: Token | undefined, name: CommandName): string {
  const typed = (token?.text ?? '').toLowerCase();
  if (!emailAddress.safeParse(typed).success) {
    throw usageError(name, `Start with the contact's address, such as jane@acme.com${typed ? `; "${token!.text}" is not one` : ''}.`);
  }
  return typed;
}

/** The zone's own spelling (`europe/paris` is Europe/Paris), or null for a name that is none. */
function canonicalZone(name: string): string | null {
  if (!isTimeZone(name)) return null;
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

const rangeHelp = 'Write the hours as <from>-<to>, such as 9-12, 09:00-12:30 or 2pm-5pm';

/** `9-12`, `09:00 - 12:30`, `2pm-5pm`, `2-5pm`, `9am to 1pm`: two times of one day, the first earlier. */
function readRange(text: string): Pick<PreferredHours, 'from' | 'to'> | string {
  const parts = text.toLowerCase().replace(/\s+to\s+/g, '-').replace(/\s+/g, '').split(/[-–—]/);
  if (parts.length !== 2) return `${rangeHelp}.`;
  const [from, to] = parts.map(readTime) as [Clock | null, Clock | null];
  if (!from || !to) return `"${text}" is not a range of hours. ${rangeHelp}.`;
  // "2-5pm" means 2pm to 5pm, and "11-2pm" 11am to 2pm.
  if (from.half === null && to.half === 'pm' && from.hour < 12 && from.hour + 12 < minutesOf(to) / 60) from.hour += 12;
  const start = minutesOf(from);
  const end = minutesOf(to);
  if (start >= end) return `The hours must start before they end, within one day: "${text}" does not. ${rangeHelp}.`;
  return { from: hhmm(start), to: hhmm(end) };
}

/** One time of day as people write it (`7:30`, `07:30`, `7am`, `2.15pm`), as `HH:MM`; null for anything else. */
export function readTimeOfDay(text: string): string | null {
  const clock = readTime(text.toLowerCase());
  return clock ? hhmm(minutesOf(clock)) : null;
}

interface Clock {
  hour: number;
  minute: number;
  half: 'am' | 'pm' | null;
}

function readTime(text: string): Clock | null {
  const match = /^(\d{1,2})(?:[:.h](\d{2}))?(am|pm)?$/.exec(text);
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const half = (match[3] ?? null) as Clock['half'];
  if (minute > 59 || (half ? hour < 1 || hour > 12 : hour > 23)) return null;
  return { hour, minute, half };
}

function minutesOf(clock: Clock): number {
  const hour = clock.half === null ? clock.hour : (clock.hour % 12) + (clock.half === 'pm' ? 12 : 0);
  return hour * 60 + clock.minute;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const birthdayHelp = 'Write it as 03-21, 1984-03-21, 21 mar or mar 21';

/** `03-21`, `1984-03-21`, `21 mar`, `mar 21`, `21 march 1984`, `march 21, 1984`: `MM-DD` or `YYYY-MM-DD`. */
function readBirthday(text: string, thisYear: number): string | { problem: string } {
  const words = text.toLowerCase().replace(/,/g, ' ').trim().split(/\s+/);
  const parsed = words.length === 1 ? numeric(words[0]!) : named(words);
  if (!parsed) return { problem: `"${text}" is not a date. ${birthdayHelp}.` };
  const { year, month, day } = parsed;
  // 29 February is a birthday; without a year, check it against a leap year.
  if (!isValidDate({ year: year ?? 2000, month, day })) return { problem: `"${text}" is not a day of the calendar. ${birthdayHelp}.` };
  if (year !== null && (year < 1900 || year > thisYear)) return { problem: `${year} cannot be a birth year. ${birthdayHelp}, or leave the year out.` };
  const monthDay = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return year === null ? monthDay : `${year}-${monthDay}`;
}

interface BirthdayParts {
  year: number | null;
  month: number;
  day: number;
}

function numeric(word: string): BirthdayParts | null {
  const full = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(word);
  if (full) return { year: Number(full[1]), month: Number(full[2]), day: Number(full[3]) };
  const short = /^(\d{1,2})-(\d{1,2})$/.exec(word);
  return short ? { year: null, month: Number(short[1]), day: Number(short[2]) } : null;
}

/** `21 mar`, `mar 21`, either with a year after it. */
function named(words: string[]): BirthdayParts | null {
  if (words.length > 3) return null;
  const [a = '', b = '', c] = words;
  const year = c === undefined ? null : /^\d{4}$/.test(c) ? Number(c) : NaN;
  if (Number.isNaN(year)) return null;
  const dayFirst = monthOf(b);
  const month = dayFirst ?? monthOf(a);
  const dayWord = dayFirst ? a : b;
  if (month === null || !/^\d{1,2}$/.test(dayWord)) return null;
  return { year, month, day: Number(dayWord) };
}

/** A month by its name or the first three letters or more of it. */
function monthOf(word: string): number | null {
  if (word.length < 3) return null;
  const index = monthNames.findIndex((name) => name.startsWith(word.replace(/\.$/, '')));
  return index < 0 ? null : index + 1;
}
