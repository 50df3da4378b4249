import type { Tier } from './facts.ts';

/** Where each tier ends, in percent of the total value: A the first 80%, B the next 15%, C the rest. */
export const tierBounds = { A: 80, B: 95 } as const;

/**
 * The 80/20 rule (CRM-CONCEPTS section 2): A is the smallest set of
 * customers, most valuable first, whose values add up to 80% of the total; B
 * takes the next 15%; C holds the rest and everyone with no value. Customers
 * of equal value share a tier, the higher one, so which of two equal
 * customers counts first never matters. With no value anywhere, all are C.
 */
export function valueTiers(values: ReadonlyMap<string, number>): Map<string, Tier> {
  const ranked = [...values].sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((sum, [, value]) => sum + Math.max(0, value), 0);
  const tiers = new Map<string, Tier>();
  let above = 0;
  let previousValue = Number.NaN;
  let previousTier: Tier = 'A';
  for (const [id, value] of ranked) {
    const tier: Tier =
      value <= 0 ? 'C' : value === previousValue ? previousTier : below(above, total, tierBounds.A) ? 'A' : below(above, total, tierBounds.B) ? 'B' : 'C';
    tiers.set(id, tier);
    above += Math.max(0, value);
    previousValue = value;
    previousTier = tier;
  }
  return tiers;
}

/**
 * Whether `part` is under `percent` of `total`. Sums of amounts with cents are
 * off in the last bits (0.5 + 0.3 is not quite 0.8), so a share within a
 * billionth of the bound counts as reaching it.
 */
function below(part: number, total: number, percent: number): boolean {
  return part * 100 < total * percent * (1 - 1e-9);
}
