const dayMs = 86_400_000;

/**
 * What one UTC day of a zone holds: one offset throughout (`change` is
 * Infinity), or the offset `before` up to the instant `change` and `after`
 * from it on. Every IANA zone changes its offset at most once within a day.
 */
interface ZoneDay {
  readonly before: number;
  readonly change: number;
  readonly after: number;
}

/** Days read so far, by zone; a zone forgets them all past this many (a card reads a few dozen). */
const maxDaysPerZone = 4096;
const days = new Map<string, Map<number, ZoneDay>>();

/**
 * How far `tz` is ahead of UTC at `instant`, in ms. Asking Intl costs
 * microseconds, which every line of every card paid; each day of a zone is
 * asked about once, and a day with a change keeps the second it happens, so
 * the answer is Intl's own on either side of a change.
 */
export function zoneOffset(instant: number, tz: string): number {
  const second = Math.floor(instant / 1000) * 1000;
  const day = Math.floor(second / dayMs);
  let zone = days.get(tz);
  if (!zone) days.set(tz, (zone = new Map()));
  let known = zone.get(day);
  if (!known) {
    known = readDay(day * dayMs, tz);
    if (zone.size >= maxDaysPerZone) zone.clear();
    zone.set(day, known);
  }
  return second < known.change ? known.before : known.after;
}

function readDay(start: number, tz: string): ZoneDay {
  const last = start + dayMs - 1000;
  const before = measuredOffset(start, tz);
  const after = measuredOffset(last, tz);
  if (before === after) return { before, change: Infinity, after };
  // The first second with the new offset: `low` always has the old one, `high` the new.
  let low = start;
  let high = last;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (measuredOffset(middle, tz) === before) low = middle;
    else high = middle;
  }
  return { before, change: high, after };
}

// Building a DateTimeFormat costs far more than using one; a process sees few zones.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(tz: string): Intl.DateTimeFormat {
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(tz, format);
  }
  return format;
}

/** The offset at a whole second, as Intl reads the wall clock there. */
function measuredOffset(second: number, tz: string): number {
  const parts = formatFor(tz).formatToParts(second);
  const read = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(read('year'), read('month') - 1, read('day'), read('hour'), read('minute'), read('second')) - second;
}
