import type { Tier } from './facts.ts';

/** A's share of all value; A and B together make up this much. */
const aShare = 0.8;
const abShare = 0.95;

/**
 * The 80/20 rule (CRM-CONCEPTS section 2): A is the smallest set of customers
 * that makes up 80% of the value, B the next 15%, C the rest, customers with
 * no value included. Customers of equal value share a tier: the one that
 * reaches the threshold takes its equals with it. Customers not in `values`
 * are C. Empty when there is no value at all.
 */
export function valueTiers(values: ReadonlyMap<string, number>): Map<string, Tier> {
  const ranked = [...values].filter(([, value]) => value > 0).sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((sum, [, value]) => sum + value, 0);
  const tiers = new Map<string, Tier>();
  if (total === 0) return tiers;
  let before = 0;
  let previous: { value: number; tier: Tier } | null = null;
  for (const [id, value] of ranked) {
    const tier: Tier = previous && previous.value === value ? previous.tier : before < aShare * total ? 'A' : before < abShare * total ? 'B' : 'C';
    tiers.set(id, tier);
    before += value;
    previous = { value, tier };
  }
  return tiers;
}
