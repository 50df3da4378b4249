import { answersOf, dayMs, median, normalizedScore, isDetractor, span, touchTimes, type CustomerFacts } from './facts.ts';
import { instantMs } from '../time/instant.ts';

/** Whether a customer is at risk of leaving, and every reason why, in words a manager can check. */
export interface ChurnRisk {
  atRisk: boolean;
  reasons: string[];
}

/** A gap is unusual past this many times the customer's own median gap… */
const gapFactor = 2;
/** …and only once it is this long: a daily rhythm missed for three days is not a warning. */
const minimumGapDays = 14;
/** Touches needed before a customer has a rhythm of its own. */
const rhythmTouches = 4;
/** The gaps the rhythm is read from: the most recent ones. */
const rhythmGaps = 20;
/** An A customer is flagged after this long without contact, whatever its rhythm. */
const tierAGapDays = 30;
/** The latest answer is "falling" when this far (on a 0–1 scale) below the average of the answers before it. */
const satisfactionDrop = 0.2;

/**
 * The churn warning of CRM-CONCEPTS section 3: the gap since the last touch
 * against the customer's own rhythm (twice its median gap between days with
 * contact), a long silence for an A customer, falling satisfaction, and an
 * open case past its deadline.
 */
export function churnRisk(facts: CustomerFacts, now: Date): ChurnRisk {
  const reasons = [...gapReasons(facts, now), ...satisfactionReasons(facts), ...caseReasons(facts, now)];
  return { atRisk: reasons.length > 0, reasons };
}

function gapReasons(facts: CustomerFacts, now: Date): string[] {
  const days = [...new Set(touchTimes(facts).map((at) => Math.floor(at / dayMs)))].sort((a, b) => b - a);
  if (days.length === 0) return [];
  const silence = now.getTime() - days[0]! * dayMs;
  const reasons: string[] = [];
  if (days.length >= rhythmTouches) {
    const gaps = days.slice(0, rhythmGaps + 1).flatMap((day, i, all) => (i + 1 < all.length ? [(day - all[i + 1]!) * dayMs] : []));
    const usual = median(gaps);
    if (silence > gapFactor * usual && silence >= minimumGapDays * dayMs) {
      reasons.push(`no contact for ${span(silence)}, over twice their usual gap of ${span(usual)} (the median gap between their ${gaps.length + 1} latest days with contact)`);
    }
  }
  if (facts.tier === 'A' && silence > tierAGapDays * dayMs && reasons.length === 0) {
    reasons.push(`an A customer with no contact for ${span(silence)} (A customers are flagged after ${tierAGapDays} days)`);
  }
  return reasons;
}

function satisfactionReasons(facts: CustomerFacts): string[] {
  const answers = answersOf(facts.polls);
  const latest = answers.at(-1);
  if (!latest) return [];
  const scale = latest.poll.kind === 'csat' ? `CSAT ${latest.score}/5` : `NPS ${latest.score}/10`;
  if (isDetractor(latest.poll, latest.score)) return [`the latest poll answer was a detractor's (${scale})`];
  const before = answers.slice(-6, -1);
  if (before.length === 0) return [];
  const average = before.reduce((sum, a) => sum + normalizedScore(a.poll, a.score), 0) / before.length;
  if (normalizedScore(latest.poll, latest.score) >= average - satisfactionDrop) return [];
  const percent = (score: number) => `${Math.round(score * 100)}%`;
  return [
    `satisfaction is falling: the latest answer, ${scale}, is ${percent(normalizedScore(latest.poll, latest.score))} of the scale against an average of ${percent(average)} over the ${before.length} before it`,
  ];
}

function caseReasons(facts: CustomerFacts, now: Date): string[] {
  return facts.cases
    .filter((c) => c.status === 'open' && instantMs(c.dueAt) < now.getTime())
    .map((c) => `a case is overdue by ${span(now.getTime() - instantMs(c.dueAt))}: "${c.text}"`);
}
