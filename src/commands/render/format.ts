import type { Store } from '../../store/store.ts';

/** "just now", "5 minutes ago", "3 days ago", "in 2 hours": how long between `then` and `now`. */
export function relative(then: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  const units: [number, string][] = [
    [365 * 86400, 'year'],
    [30 * 86400, 'month'],
    [7 * 86400, 'week'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  const [size, unit] = units.find(([size]) => abs >= size)!;
  const count = Math.floor(abs / size);
  const phrase = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return future ? `in ${phrase}` : `${phrase} ago`;
}

/** Names of team members by id, looked up once each; an unknown id shows as itself. */
export async function memberNames(store: Store, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    if (id === null || names.has(id)) continue;
    names.set(id, (await store.members.get(id))?.name ?? id);
  }
  return names;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
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
