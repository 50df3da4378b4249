import { dayMs, span, touchTimes, type CustomerFacts } from './facts.ts';
import type { ChurnRisk } from './risk.ts';
import { instantMs } from '../time/instant.ts';

export const lifecycleStages = ['prospect', 'new', 'active', 'loyal', 'at risk', 'lost'] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];

export interface Lifecycle {
  stage: LifecycleStage;
  /** Why, in words: "first deal won 3 weeks ago". */
  reason: string;
}

/** No contact for this long: lost. */
const lostAfterDays = 180;
/** First value within this many days: new. */
const newWithinDays = 90;
/** Loyal: value over at least a year… */
const loyalAfterDays = 365;
/** …and, by contact, some in each of the last four quarters. */
const quarterDays = 91;

/**
 * The lifecycle stage of CRM-CONCEPTS section 3. Value is won deals where the
 * customer has deals recorded, else contact (the stated fallback): prospect
 * (no value yet), new (first value recently), active, loyal (repeated value
 * or steady contact for over a year), at risk (the churn warning), lost (no
 * contact for six months).
 */
export function lifecycle(facts: CustomerFacts, risk: ChurnRisk, now: Date): Lifecycle {
  const touches = touchTimes(facts);
  const silence = touches.length > 0 ? now.getTime() - touches[0]! : null;
  if (isLost(silence)) return { stage: 'lost', reason: `no contact for ${span(silence!)} (lost after ${lostAfterDays / 30} months)` };
  if (risk.atRisk) return { stage: 'at risk', reason: risk.reasons[0]! };
  return facts.deals.length > 0 ? byDeals(facts, now) : byContact(touches, now);
}

/** Whether this long since the last touch (null: none yet) makes a customer lost. */
export function isLost(silenceMs: number | null): boolean {
  return silenceMs !== null && silenceMs > lostAfterDays * dayMs;
}

function byDeals(facts: CustomerFacts, now: Date): Lifecycle {
  const won = facts.deals.filter((d) => d.stage === 'won' && d.closedAt !== null).map((d) => instantMs(d.closedAt!)).sort((a, b) => a - b);
  if (won.length === 0) return { stage: 'prospect', reason: `${facts.deals.length === 1 ? 'a deal' : `${facts.deals.length} deals`} recorded, none won yet` };
  const first = now.getTime() - won[0]!;
  const last = now.getTime() - won.at(-1)!;
  if (first <= newWithinDays * dayMs) return { stage: 'new', reason: `first deal won ${span(first)} ago` };
  if (won.length >= 2 && first >= loyalAfterDays * dayMs) return { stage: 'loyal', reason: `${won.length} deals won over ${span(first)}` };
  return { stage: 'active', reason: `last deal won ${span(last)} ago` };
}

/** With no deals recorded, contact stands for value. */
function byContact(touches: number[], now: Date): Lifecycle {
  if (touches.length === 0) return { stage: 'prospect', reason: 'no contact yet (no deals recorded, so contact stands for value)' };
  const first = now.getTime() - touches.at(-1)!;
  if (first <= newWithinDays * dayMs) return { stage: 'new', reason: `first contact ${span(first)} ago (no deals recorded, so contact stands for value)` };
  const quarters = new Set(touches.map((at) => Math.floor((now.getTime() - at) / (quarterDays * dayMs))).filter((q) => q < 4));
  if (first >= loyalAfterDays * dayMs && quarters.size === 4) {
    return { stage: 'loyal', reason: `in touch every quarter of the last year, for ${span(first)} in all (no deals recorded, so contact stands for value)` };
  }
  return { stage: 'active', reason: `${touches.filter((at) => now.getTime() - at <= newWithinDays * dayMs).length} touches in the last ${newWithinDays} days (no deals recorded, so contact stands for value)` };
}
