import type { Customer } from '../domain/customer.ts';
import { tierOf, type Tier } from '../insights/tiers.ts';
import type { Store } from '../store/store.ts';
import { addWorkingDays } from './add-working-days.ts';

/** How long a case may stay open by the customer's tier: A customers get the quickest answer (CRM-CONCEPTS.md, section 2). */
export const workingDaysByTier: Readonly<Record<Tier, number>> = { A: 1, B: 2, C: 5 };

export interface DefaultDeadline {
  at: Date;
  tier: Tier;
  /** Why, in a sentence a manager can check: the tier, what it means and what measured it. */
  reason: string;
}

const tierMeaning: Record<Tier, string> = {
  A: 'among the fewest customers that together have 80% of all interactions logged',
  B: 'among the customers that have the next 15% of interactions logged',
  C: 'outside the customers that have 95% of interactions logged',
};

/**
 * The deadline of a case opened now on `customer` without a due time, counted
 * in working days in `tz`. Value is interaction volume, the stated fallback
 * while no deals are recorded. Reading every customer's count takes about 50 ms
 * at 100,000 customers (lowdb), and tiering one customer is a single pass with
 * no sort, so nothing is cached.
 */
export async function defaultDeadline(store: Store, customer: Customer, now: Date, tz: string): Promise<DefaultDeadline> {
  const counts = await store.interactions.countsByCustomer();
  const tier = tierOf(counts, customer.id);
  const days = workingDaysByTier[tier];
  const own = counts.get(customer.id) ?? 0;
  const meaning = own > 0 ? tierMeaning[tier] : 'no interactions logged yet';
  return {
    at: addWorkingDays(now, days, tz),
    tier,
    reason: `${days} working day${days === 1 ? '' : 's'} for a tier ${tier} customer. *${customer.name}* is tier ${tier}: ${meaning} (value is measured by interaction volume until deals are recorded)`,
  };
}
