import type { Customer } from '../domain/customer.ts';
import type { Tier } from '../insights/facts.ts';
import { customerTiers } from '../insights/value.ts';
import type { Store } from '../store/store.ts';
import { addWorkingDays } from '../time/working-days.ts';

/** How long a case may stay open by the customer's tier: A customers get the quickest answer (CRM-CONCEPTS.md, section 2). */
export const workingDaysByTier: Readonly<Record<Tier, number>> = { A: 1, B: 2, C: 5 };

export interface DefaultDeadline {
  at: Date;
  tier: Tier;
  /** Why, in a sentence a manager can check: the tier and what measured it. */
  reason: string;
}

/**
 * The deadline of a case opened now on `customer` without a due time, counted
 * in working days in `tz`. A customer is C while no value is recorded anywhere.
 */
export async function defaultDeadline(store: Store, customer: Customer, now: Date, tz: string): Promise<DefaultDeadline> {
  const tiers = await customerTiers(store, now);
  const tier = tiers.of(customer.id) ?? 'C';
  const days = workingDaysByTier[tier];
  return {
    at: addWorkingDays(now, days, tz),
    tier,
    reason: `${days} working day${days === 1 ? '' : 's'} for a tier ${tier} customer. *${customer.name}* is tier ${tier}; tiers are by ${tiers.basis}`,
  };
}
