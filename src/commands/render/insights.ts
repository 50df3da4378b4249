import { span, timelineRead, type CustomerFacts } from '../../insights/facts.ts';
import { relationshipDepth } from '../../insights/depth.ts';
import { lifecycle } from '../../insights/lifecycle.ts';
import { loyalty } from '../../insights/loyalty.ts';
import { churnRisk } from '../../insights/risk.ts';
import { unansweredMail } from '../../insights/unanswered.ts';
import { recentTiers } from '../../insights/value.ts';
import type { Block } from '../../reply.ts';
import type { Store } from '../../store/store.ts';
import { excerpt, relative } from './format.ts';

/**
 * The card's insights: tier, lifecycle stage, churn risk, loyalty, relationship
 * depth and unanswered mail, each with how it was computed. `read` is what the
 * card has read already: the newest `timelineRead` interactions, the polls and
 * the cases.
 */
export async function insightBlock(
  deps: { store: Store; internalDomains: readonly string[] },
  read: Pick<CustomerFacts, 'customer' | 'interactions' | 'polls' | 'cases'>,
  tz: string,
  now: Date,
): Promise<Block> {
  const { store } = deps;
  const { customer, interactions, polls, cases } = read;
  const [deals, tiers] = await Promise.all([store.deals.byCustomer(customer.id), recentTiers(store, now)]);
  const tier = tiers.of(customer.id);
  const facts = { customer, interactions, deals, polls, cases, tier };
  const risk = churnRisk(facts, now);
  const stage = lifecycle(facts, risk, now);
  const loyal = loyalty(facts, now);
  const depth = relationshipDepth(facts, now);
  const unanswered = unansweredMail(interactions, now, tz, deps.internalDomains);
  const oldest = unanswered.at(-1);
  return {
    type: 'list',
    title: 'How they are doing',
    items: [
      tier ? `Tier ${tier}, by ${tiers.basis}` : `No tier yet: ${tiers.basis}`,
      // An at-risk stage has the risk's first reason, which the next line gives with the others.
      stage.stage === 'at risk' ? `Stage: at risk, for the reason${risk.reasons.length === 1 ? '' : 's'} below` : `Stage: ${stage.stage}, ${stage.reason}`,
      risk.atRisk ? `At risk: ${risk.reasons.join('; ')}` : 'Not at risk: contact keeps to its usual rhythm, satisfaction is not falling and no case is overdue',
      `Loyalty: ${loyal.tenure}; ${loyal.frequency}; ${loyal.recency}; ${loyal.channels}; ${loyal.satisfaction}; ${loyal.repeatBuying}; ${loyal.ownAccord}`,
      `Relationship: ${depth.level}, ${depth.reason}`,
      ...(oldest
        ? [`Unanswered mail: ${unanswered.length}, the oldest "${excerpt(oldest.mail.summary, 60)}" ${relative(new Date(oldest.mail.occurredAt), now)}, with no reply within 2 working days`]
        : []),
      ...(interactions.length === timelineRead
        ? [`Read from the latest ${timelineRead} interactions, which go back ${span(now.getTime() - Date.parse(interactions.at(-1)!.occurredAt))}: counts over longer spans may be higher`]
        : []),
    ],
  };
}
