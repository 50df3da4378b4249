// Readers of the words for a time of day and for an amount of time. Words come
// lower-cased, without dots or commas; each reader starts at word `i` and says how many it used.

export interface Time {
  hour: number;
  minute: number;
}

export type Unit = 'minute' | 'hour' | 'day' | 'week';

const unitWords: Record<string, Unit> = {
  m: 'minute', min: 'minute', mins: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hr: 'hour', hrs: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', day: 'day', days: 'day',
  w: 'week', wk: 'week', wks: 'week', week: 'week', weeks: 'week',
};
export const unitMinutes: Record<Unit, number> = { minute: 1, hour: 60, day: 1440, week: 10_080 };
// Far enough for any follow-up; beyond it a number is more likely a typo than a plan.
const maxMinutes = 5 * 366 * 1440;

/** `invalid` is a word shaped like a time that cannot be one, such as `25:00` or `13pm`. */
type TimeRead = { time: Time; used: number } | 'invalid' | null;

/** `9am`, `9:30 pm`, `14:00`, `noon`, each optionally after `at`. A bare number is not a time. */
export function readTime(w: readonly string[], i: number): TimeRead {
  const at = w[i] === 'at' ? 1 : 0;
  const word = w[i + at] ?? '';
  if (word === 'noon') return { time: { hour: 12, minute: 0 }, used: at + 1 };
  const match = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(word);
  if (!match) return null;
  const next = w[i + at + 1];
  const apart = match[3] === undefined && (next === 'am' || next === 'pm');
  const meridiem = match[3] ?? (apart ? next : undefined);
  if (meridiem === undefined && match[2] === undefined) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  if (minute > 59 || (meridiem ? hour < 1 || hour > 12 : hour > 23)) return 'invalid';
  const hour24 = meridiem ? (hour % 12) + (meridiem === 'pm' ? 12 : 0) : hour;
  return { time: { hour: hour24, minute }, used: at + 1 + (apart ? 1 : 0) };
}

/** `in 3 days`, `in an hour`, `3d`, `2h`, `30m`; `in` is optional. */
export function readAmount(w: readonly string[], i: number): { count: number; unit: Unit; used: number } | null {
  const hasIn = w[i] === 'in' ? 1 : 0;
  const word = w[i + hasIn] ?? '';
  const compact = /^(\d+)([a-z]+)$/.exec(word);
  const article = hasIn === 1 && (word === 'a' || word === 'an');
  const count = compact ? Number(compact[1]) : article ? 1 : /^\d+$/.test(word) ? Number(word) : NaN;
  const unit = unitWords[(compact ? compact[2] : w[i + hasIn + 1]) ?? ''];
  if (!unit || !(count >= 1) || count * unitMinutes[unit] > maxMinutes) return null;
  return { count, unit, used: hasIn + (compact ? 1 : 2) };
}
