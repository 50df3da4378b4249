import { breathe } from '../breathe.ts';
import type { Store } from '../store/store.ts';
import { dayMs, type Tier } from './facts.ts';
import { valueTiers } from './tiers.ts';

/** Every customer's tier, and what value they were ranked by, in words for the card and the digest. */
export interface Tiers {
  of(customerId: string): Tier | null;
  /** What the customer was ranked by (revenue, or interactions); 0 for none. */
  valueOf(customerId: string): number;
  /** "won-deal revenue over the last 12 months", or the stated fallback. */
  basis: string;
}

/**
 * Tiers by won-deal revenue over the last 12 months where the team records
 * deals, read afresh; otherwise by interaction volume (counted in the last ten
 * minutes), which the basis then says.
 */
export async function customerTiers(store: Store, now: Date): Promise<Tiers> {
  const won = await store.deals.wonSince(new Date(now.getTime() - 365 * dayMs));
  const revenue = new Map<string, number>();
  for (const deal of won) revenue.set(deal.customerId, (revenue.get(deal.customerId) ?? 0) + deal.amount);
  const byRevenue = valueTiers(revenue);
  if ([...revenue.values()].some((value) => value > 0)) {
    return { of: byRevenue, valueOf: valueIn(revenue), basis: 'won-deal revenue over the last 12 months (A: the top customers making up 80% of it, B: the next 15%)' };
  }
  const counts = await recentCounts(store, now);
  // Counting and ranking a hundred thousand customers are two stretches of work: other requests get through between them.
  await breathe();
  const byVolume = valueTiers(counts);
  if (counts.size > 0) {
    return { of: byVolume, valueOf: valueIn(counts), basis: 'interaction volume, as no deals were won in the last 12 months (A: the top customers making up 80% of it, B: the next 15%)' };
  }
  return { of: () => null, valueOf: () => 0, basis: 'nothing yet: no deals won and no interactions logged' };
}

function valueIn(values: ReadonlyMap<string, number>): (customerId: string) => number {
  return (customerId) => values.get(customerId) ?? 0;
}

/** Tiers rank every customer, so cards reuse a ranking this recent. */
const maxAgeMs = 10 * 60_000;
const cachedTiers = new WeakMap<Store, { at: number; value: Promise<Tiers> }>();
const cachedCounts = new WeakMap<Store, { at: number; value: Promise<Map<string, number>> }>();

/** customerTiers, computed at most every ten minutes per store: cards show them on every lookup. */
export function recentTiers(store: Store, now: Date): Promise<Tiers> {
  return recent(cachedTiers, store, now, () => customerTiers(store, now));
}

/**
 * Every customer's interaction count, counted at most every ten minutes per
 * store: counting a million interactions takes about a second, and volume
 * moves slowly, unlike a deal won a minute ago.
 */
function recentCounts(store: Store, now: Date): Promise<Map<string, number>> {
  return recent(cachedCounts, store, now, () => store.interactions.countsByCustomer());
}

function recent<T>(cache: WeakMap<Store, { at: number; value: Promise<T> }>, store: Store, now: Date, compute: () => Promise<T>): Promise<T> {
  const known = cache.get(store);
  if (known && now.getTime() - known.at < maxAgeMs && now.getTime() >= known.at) return known.value;
  const value = compute();
  cache.set(store, { at: now.getTime(), value });
  value.catch(() => cache.delete(store));
  return value;
}
