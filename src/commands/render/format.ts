import { dayMs, span } from '../../insights/facts.ts';
import type { Store } from '../../store/store.ts';

/**
 * "just now", "5 minutes ago", "3 days ago", "in 2 hours": how long between
 * `then` and `now`. From a day on, in the words of the insights' spans ("8
 * weeks"), so that a card's "last touch" and its "no contact for" agree.
 */
export function relative(then: Date, now: Date): string {
  const ms = now.getTime() - then.getTime();
  const abs = Math.abs(ms);
  if (abs < 60_000) return 'just now';
  const phrase = abs < dayMs ? within(abs) : span(abs);
  return ms < 0 ? `in ${phrase}` : `${phrase} ago`;
}

/** Minutes or hours, whole ones. */
function within(ms: number): string {
  const [size, unit] = ms >= 3_600_000 ? [3_600_000, 'hour'] : [60_000, 'minute'];
  const count = Math.floor(ms / size);
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Names of team members by id, looked up once each and all at once; an unknown id shows as itself. */
export async function memberNames(store: Store, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter((id) => id !== null);
  const members = await Promise.all(unique.map((id) => store.members.get(id)));
  return new Map(unique.map((id, n) => [id, members[n]?.name ?? id]));
}

export function plural(count: number, noun: string): string {
  return `${number(count)} ${noun}${count === 1 ? '' : 's'}`;
}

const grouped = new Intl.NumberFormat('en-US');

/** A count as people read one: 25,900. */
export function number(count: number): string {
  return Math.abs(count) < 1000 ? String(count) : grouped.format(count);
}

/** Keeps a timeline line readable: the first line of `text`, cut at `max` characters. */
export function excerpt(text: string, max = 140): string {
  const line = text.split('\n')[0]!.trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** 12,500 or 12,500.50: the team's own currency, so no sign. */
export function formatAmount(amount: number): string {
  return amount.toLocaleString('en-US', { minimumFractionDigits: Number.isInteger(amount) ? 0 : 2, maximumFractionDigits: 2 });
}
