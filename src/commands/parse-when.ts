import type { CalendarDate, ZonedParts } from '../time/zoned.ts';
import { addDays, isValidDate, monthNames, weekdayNames, zonedParts, zonedToInstant } from '../time/zoned.ts';
import type { ParseContext } from './command.ts';
import { readAmount, readTime, unitMinutes } from './time-words.ts';
import type { Time } from './time-words.ts';

export interface When {
  at: Date;
  /** How many of the words the expression took. */
  used: number;
}

/** The reading frame: the user's wall clock at `ctx.now`. */
interface Frame {
  ctx: ParseContext;
  now: ZonedParts;
  today: CalendarDate;
}

/** A day named by the user; `pick` chooses the day once the time of day is known. */
interface DatePhrase {
  used: number;
  defaultTime: Time;
  pick: (time: Time) => CalendarDate;
}

const nineAm: Time = { hour: 9, minute: 0 };

/**
 * Reads the longest prefix of `words` that names a moment, in `ctx.tz`.
 * Relative forms (a weekday, a time alone, `dec 1`, `in 3 days`) give the next
 * such moment after `ctx.now`. Explicit days (`today`, `tonight`, `yesterday`,
 * `2026-12-01`, `dec 1 2027`) are taken as said and may be past: the caller
 * rejects those.
 * An impossible date or time (`2026-02-30`, `25:00`) makes the whole read fail.
 */
export function parseWhen(words: readonly string[], ctx: ParseContext): When | null {
  const w = words.map((word) => word.toLowerCase().replace(/[.,]/g, ''));
  const now = zonedParts(ctx.now, ctx.tz);
  const f: Frame = { ctx, now, today: { year: now.year, month: now.month, day: now.day } };
  const span = readAmount(w, 0);
  if (span && (span.unit === 'minute' || span.unit === 'hour')) {
    return { at: new Date(ctx.now.getTime() + span.count * unitMinutes[span.unit] * 60_000), used: span.used };
  }
  const date = readDate(w, 0, f);
  const time = readTime(w, date?.used ?? 0);
  if (time === 'invalid') return null;
  if (date) {
    const t = time?.time ?? date.defaultTime;
    return { at: instant(date.pick(t), t, f), used: date.used + (time?.used ?? 0) };
  }
  if (!time) return null;
  const day = readDate(w, time.used, f) ?? rolling([f.today, addDays(f.today, 1)], 0, f);
  return { at: instant(day.pick(time.time), time.time, f), used: time.used + day.used };
}

function readDate(w: readonly string[], i: number, f: Frame): DatePhrase | null {
  const [a = '', b = '', c = ''] = w.slice(i, i + 3);
  const { now, today } = f;
  if (a === 'today') return fixed(today, 1);
  if (a === 'tonight') return fixed(today, 1, { hour: 20, minute: 0 });
  if (a === 'tomorrow' || a === 'tmrw') return fixed(addDays(today, 1), 1);
  // Always past: read, so that the command can say so rather than not find a time.
  if (a === 'yesterday') return fixed(addDays(today, -1), 1);
  if (a === 'next' && b === 'week') return fixed(addDays(today, (8 - now.weekday) % 7 || 7), 2);
  const weekday = a === 'next' ? nameIndex(weekdayNames, b) : nameIndex(weekdayNames, a);
  if (weekday >= 0) {
    const ahead = (weekday - now.weekday + 7) % 7;
    // `next fri` is never today; `fri` is today when the time is still to come.
    if (a === 'next') return fixed(addDays(today, ahead || 7), 2);
    return rolling([addDays(today, ahead), addDays(today, ahead + 7)], 1, f);
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(a);
  if (iso) {
    const date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    return isValidDate(date) ? fixed(date, 1) : null;
  }
  const span = readAmount(w, i);
  if (span && (span.unit === 'day' || span.unit === 'week')) {
    const days = span.count * (span.unit === 'week' ? 7 : 1);
    return fixed(addDays(today, days), span.used, { hour: now.hour, minute: now.minute });
  }
  const monthDay = readMonthDay(a, b);
  // 2000 was a leap year: a day that fails there fails in every year.
  if (!monthDay || !isValidDate({ year: 2000, ...monthDay })) return null;
  if (/^\d{4}$/.test(c)) {
    const date = { year: Number(c), ...monthDay };
    return isValidDate(date) ? fixed(date, 3) : null;
  }
  const years = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => ({ year: now.year + k, ...monthDay }));
  return rolling(years.filter(isValidDate), 2, f);
}

/** `dec 1`, `1 dec`, `december 1st`. */
function readMonthDay(a: string, b: string): { month: number; day: number } | null {
  const dayOf = (word: string) => Number(/^(\d{1,2})(?:st|nd|rd|th)?$/.exec(word)?.[1] ?? NaN);
  const first = nameIndex(monthNames, a);
  const [month, day] = first >= 0 ? [first, dayOf(b)] : [nameIndex(monthNames, b), dayOf(a)];
  return month >= 0 && day >= 1 ? { month: month + 1, day } : null;
}

/** A name or any abbreviation of it of three letters or more: `fri`, `thurs`, `sept`. */
function nameIndex(names: readonly string[], word: string): number {
  return word.length >= 3 ? names.findIndex((name) => name.startsWith(word)) : -1;
}

function fixed(date: CalendarDate, used: number, defaultTime: Time = nineAm): DatePhrase {
  return { used, defaultTime, pick: () => date };
}

/** The first of `dates` (never empty) on which the time is still ahead of now. */
function rolling(dates: readonly CalendarDate[], used: number, f: Frame): DatePhrase {
  const pick = (time: Time) => dates.find((date) => instant(date, time, f) > f.ctx.now) ?? dates.at(-1) ?? f.today;
  return { used, defaultTime: nineAm, pick };
}

function instant(date: CalendarDate, time: Time, f: Frame): Date {
  return zonedToInstant({ ...date, ...time }, f.ctx.tz);
}
