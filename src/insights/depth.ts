import { dayMs, isTouch, startedByCustomer, type CustomerFacts } from './facts.ts';
import { instantMs } from '../time/instant.ts';

export const depthLevels = ['basic', 'reactive', 'accountable', 'proactive', 'partner'] as const;
export type DepthLevel = (typeof depthLevels)[number];

export interface Depth {
  level: DepthLevel;
  reason: string;
}

const yearDays = 365;
/** Following up within this long after a won deal or a closed case is being accountable. */
const followUpDays = 30;
/** A partner meets the customer at least this often a year. */
const partnerMeetings = 4;

/**
 * How deep the relationship is (CRM-CONCEPTS section 1), read from the last
 * year's timeline: who started each touch and how often. Partner: proactive,
 * with regular meetings; proactive: we start most touches, every month of the
 * last three; accountable: we followed up after a sale or a resolved case;
 * reactive: they start most touches; basic: little contact at all.
 */
export function relationshipDepth(facts: CustomerFacts, now: Date): Depth {
  const at = now.getTime();
  const year = facts.interactions.filter((i) => isTouch(i) && at - instantMs(i.occurredAt) <= yearDays * dayMs);
  if (year.length <= 1) return { level: 'basic', reason: `${year.length === 0 ? 'no touch' : 'one touch'} in the last year` };
  const ours = year.filter((i) => !startedByCustomer(i));
  const share = `we started ${ours.length} of ${year.length} touches in the last year`;
  const months = new Set(ours.map((i) => Math.floor((at - instantMs(i.occurredAt)) / (30 * dayMs))).filter((m) => m < 3));
  const proactive = ours.length * 2 >= year.length && months.size === 3;
  const meetings = year.filter((i) => i.kind === 'meeting').length;
  if (proactive && meetings >= partnerMeetings) return { level: 'partner', reason: `${share}, every month, with ${meetings} meetings` };
  if (proactive) return { level: 'proactive', reason: `${share}, in each of the last 3 months` };
  const followUp = followedUp(facts, ours.map((i) => instantMs(i.occurredAt)));
  if (followUp) return { level: 'accountable', reason: `we followed up after ${followUp}; ${share}` };
  if (ours.length * 2 < year.length) return { level: 'reactive', reason: `they started most touches: ${share}` };
  return { level: 'basic', reason: `${share}, but not every month and with no follow-up after a sale` };
}

/** What we followed up on: a won deal or a closed case with a touch of ours within 30 days after it. */
function followedUp(facts: CustomerFacts, ours: number[]): string | null {
  const after = (at: number) => ours.some((touch) => touch > at && touch - at <= followUpDays * dayMs);
  const deal = facts.deals.find((d) => d.stage === 'won' && d.closedAt !== null && after(instantMs(d.closedAt)));
  if (deal) return `winning "${deal.name}"`;
  const closed = facts.cases.find((c) => c.closedAt !== null && after(instantMs(c.closedAt)));
  return closed ? `resolving the case "${closed.text}"` : null;
}
