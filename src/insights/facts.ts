import type { Case } from '../domain/case.ts';
import type { Customer } from '../domain/customer.ts';
import type { Deal } from '../domain/deal.ts';
import type { Interaction } from '../domain/interaction.ts';
import type { Poll } from '../domain/poll.ts';
import { instantMs } from '../time/instant.ts';

/** The value tiers of the 80/20 rule. */
export type Tier = 'A' | 'B' | 'C';

/**
 * What the insights about one customer are computed from: stored facts only.
 * `interactions` are its linked timeline, newest first (the most recent
 * `timelineRead` of them, which covers months to years for almost every
 * customer; the card says so when a timeline is longer).
 */
export interface CustomerFacts {
  customer: Customer;
  interactions: readonly Interaction[];
  deals: readonly Deal[];
  polls: readonly Poll[];
  cases: readonly Case[];
  /** Null when tiers are not known (no value recorded anywhere yet). */
  tier: Tier | null;
}

/** How many of a customer's newest interactions the insights read: each card computes them, so a busy customer's card stays quick. */
export const timelineRead = 100;

export const dayMs = 86_400_000;

/** Contact with the customer: anything on the timeline but a change of owner. */
export function isTouch(interaction: Interaction): boolean {
  return interaction.kind !== 'owner_change';
}

/** A touch the customer started: mail they sent. Calls, meetings and notes are logged by us, so count as ours. */
export function startedByCustomer(interaction: Interaction): boolean {
  return interaction.direction === 'inbound';
}

/** The touches, newest first, as instants. */
export function touchTimes(facts: Pick<CustomerFacts, 'interactions'>): number[] {
  return facts.interactions.filter(isTouch).map((i) => instantMs(i.occurredAt));
}

/** A poll answer on one scale, 0 (worst) to 1 (best): CSAT 1–5 and NPS 0–10 read alike. */
export function normalizedScore(poll: Poll, score: number): number {
  return poll.kind === 'csat' ? (score - 1) / 4 : score / 10;
}

/** A detractor: NPS 0–6, CSAT 1–2. */
export function isDetractor(poll: Poll, score: number): boolean {
  return poll.kind === 'nps' ? score <= 6 : score <= 2;
}

/** Every answer to a customer's polls, oldest first. */
export function answersOf(polls: readonly Poll[]): { poll: Poll; score: number; at: number }[] {
  return polls
    .flatMap((poll) => poll.answers.map((answer) => ({ poll, score: answer.score, at: instantMs(answer.updatedAt) })))
    .sort((a, b) => a.at - b.at);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** "3 days", "5 weeks", "4 months": a length of time as a manager reads it. */
export function span(ms: number): string {
  if (ms < dayMs) return 'less than a day';
  const days = Math.round(ms / dayMs);
  if (days < 14) return `${days} day${days === 1 ? '' : 's'}`;
  if (days < 70) return `${Math.round(days / 7)} weeks`;
  // Up to 23 months; from what would round to 24, years.
  const months = Math.round(days / 30.44);
  if (months < 24) return `${months} months`;
  return `${Math.round(days / 365.25)} years`;
}
