/** A customer's value tier by the 80/20 rule (CRM-CONCEPTS.md, section 2). */
export type Tier = 'A' | 'B' | 'C';

/** Where each tier ends, in percent of the total value: A the first 80%, B the next 15%, C the rest. */
export const tierBounds = { A: 80, B: 95 } as const;

/**
 * A customer's tier among `values` (every customer's value; missing means none).
 * A is the smallest set of customers, most valuable first, whose values add up
 * to 80% of the total; B takes the next 15%; C holds the rest and everyone with
 * no value. Customers of equal value share a tier (the higher one), so which of
 * two equal customers counts first never matters; with no value anywhere, all
 * are C. One pass and no sort: a customer's tier depends only on the total and
 * on the value of the customers worth more than it.
 */
export function tierOf(values: ReadonlyMap<string, number>, customerId: string): Tier {
  const own = values.get(customerId) ?? 0;
  if (own <= 0) return 'C';
  let total = 0;
  let above = 0;
  for (const value of values.values()) {
    if (value <= 0) continue;
    total += value;
    if (value > own) above += value;
  }
  if (below(above, total, tierBounds.A)) return 'A';
  if (below(above, total, tierBounds.B)) return 'B';
  return 'C';
}

/**
 * Whether `part` is under `percent` of `total`. Sums of amounts with cents are
 * off in the last bits (0.5 + 0.3 is not quite 0.8), so a share within a
 * billionth of the bound counts as reaching it.
 */
function below(part: number, total: number, percent: number): boolean {
  return part * 100 < total * percent * (1 - 1e-9);
}
