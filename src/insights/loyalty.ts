import type { Interaction } from '../domain/interaction.ts';
import { answersOf, dayMs, isTouch, normalizedScore, span, startedByCustomer, type CustomerFacts } from './facts.ts';
import { instantMs } from '../time/instant.ts';

/** The loyalty indicators of CRM-CONCEPTS section 5, each already in words. */
export interface Loyalty {
  tenure: string;
  frequency: string;
  recency: string;
  channels: string;
  satisfaction: string;
  repeatBuying: string;
  ownAccord: string;
}

const windowDays = 90;
const yearDays = 365;

const channelNames: Record<Interaction['kind'], string> = {
  email: 'email',
  call: 'calls',
  meeting: 'meetings',
  message: 'Slack',
  note: 'notes',
  owner_change: 'owner changes',
};

export function loyalty(facts: CustomerFacts, now: Date): Loyalty {
  const at = now.getTime();
  const touches = facts.interactions.filter(isTouch);
  const ages = touches.map((i) => at - instantMs(i.occurredAt));
  const since = Math.min(instantMs(facts.customer.createdAt), ...touches.map((i) => instantMs(i.occurredAt)));
  const recent = ages.filter((age) => age <= windowDays * dayMs).length;
  const before = ages.filter((age) => age > windowDays * dayMs && age <= 2 * windowDays * dayMs).length;
  const year = touches.filter((_, i) => ages[i]! <= yearDays * dayMs);
  const channels = [...new Set(year.map((i) => channelNames[i.kind]))];
  const answers = answersOf(facts.polls).filter((a) => at - a.at <= yearDays * dayMs);
  const won = facts.deals.filter((d) => d.stage === 'won');
  const theirs = year.filter(startedByCustomer).length;
  return {
    tenure: `customer for ${span(at - since)}`,
    frequency: `${recent} touch${recent === 1 ? '' : 'es'} in the last ${windowDays} days, ${trend(recent, before)} (${before} in the ${windowDays} before)`,
    recency: ages.length > 0 ? `last touch ${span(ages[0]!)} ago` : 'no touch yet',
    channels: channels.length > 0 ? `${channels.join(', ')} in the last year` : 'no channel in the last year',
    satisfaction:
      answers.length > 0
        ? `satisfaction at ${Math.round((answers.reduce((sum, a) => sum + normalizedScore(a.poll, a.score), 0) / answers.length) * 100)}% of the top score on average, over ${answers.length} poll answer${answers.length === 1 ? '' : 's'} in the last year`
        : 'no poll answers in the last year',
    repeatBuying: facts.deals.length > 0 ? `${won.length} deal${won.length === 1 ? '' : 's'} won` : 'no deals recorded',
    ownAccord: year.length > 0 ? `they started ${theirs} of ${year.length} touches in the last year (their mail to us)` : 'no touches in the last year',
  };
}

/** Rising or falling when a window differs from the one before by more than a fifth. */
function trend(recent: number, before: number): string {
  if (recent > before * 1.2) return 'rising';
  if (recent < before * 0.8) return 'falling';
  return 'steady';
}
