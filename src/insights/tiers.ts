import type { Tier } from './facts.ts';

/** Where each tier ends, in percent of the total value: A the first 80%, B the next 15%, C the rest. */
export const tierBounds = { A: 80, B: 95 } as const;

/**
 * The 80/20 rule (CRM-CONCEPTS section 2): A is the smallest set of
 * customers, most valuable first, whose values add up to 80% of the total; B
 * takes the next 15%; C holds the rest and everyone with no value. Customers
 * of equal value share a tier, the higher one, so which of two equal
 * customers counts first never matters. With no value anywhere, all are C,
 * as is a customer not in `values`.
 */
export function valueTiers(values: ReadonlyMap<string, number>): (customerId: string) => Tier {
  // The lowest value still in A and in B; a numeric sort of the values alone keeps this cheap at 100,000 customers.
  const sorted = Float64Array.from(values.values()).filter((value) => value > 0).sort().reverse();
  const total = sorted.reduce((sum, value) => sum + value, 0);
  let lowestA = Infinity;
  let lowestB = Infinity;
  let above = 0;
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i]!;
    // Customers of equal value share the tier of the first of them: the one with only the more valuable above it.
    if (i === 0 || value !== sorted[i - 1]) {
      if (below(above, total, tierBounds.A)) lowestA = value;
      else if (below(above, total, tierBounds.B)) lowestB = value;
      else break;
    }
    above += value;
  }
  return (customerId) => {
    const value = values.get(customerId) ?? 0;
    return value > 0 && value >= lowestA ? 'A' : value > 0 && value >= lowestB ? 'B' : 'C';
  };
}

/**
 * Whether `part` is under `percent` of `total`. Sums of amounts with cents are
 * off in the last bits (0.5 + 0.3 is not quite 0.8), so a share within a
 * billionth of the bound counts as reaching it.
 */
function below(part: number, total: number, percent: number): boolean {
  return part * 100 < total * percent * (1 - 1e-9);
}
