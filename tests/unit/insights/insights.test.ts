import { describe, expect, it } from 'vitest';
import { relationshipDepth } from '../../../src/insights/depth.ts';
import { lifecycle } from '../../../src/insights/lifecycle.ts';
import { loyalty } from '../../../src/insights/loyalty.ts';
import { churnRisk } from '../../../src/insights/risk.ts';
import { unansweredMail } from '../../../src/insights/unanswered.ts';
import { answeredPoll, daysAgo, facts, mail, now, openCase, timeline, touch, wonDeal } from './facts.ts';

const noRisk = { atRisk: false, reasons: [] };

describe('churn risk', () => {
  it('flags a gap of more than twice the customer’s own median gap', () => {
    const weekly = timeline(touch(50), touch(43), touch(36), touch(29));
    expect(churnRisk(facts({ interactions: weekly }), now)).toEqual({
      atRisk: true,
      reasons: ['no contact for 4 weeks, over twice their usual gap of 7 days (the median gap between their 4 latest days with contact)'],
    });
  });

  it('leaves a short silence alone, even against a fast rhythm', () => {
    expect(churnRisk(facts({ interactions: timeline(touch(31), touch(24), touch(17), touch(10)) }), now)).toEqual(noRisk);
  });

  it('flags an A customer after 30 days without contact, with or without a rhythm', () => {
    const sparse = timeline(touch(40), touch(35));
    expect(churnRisk(facts({ interactions: sparse, tier: 'A' }), now).reasons).toEqual([
      'an A customer with no contact for 5 weeks (A customers are flagged after 30 days)',
    ]);
    expect(churnRisk(facts({ interactions: sparse, tier: 'B' }), now)).toEqual(noRisk);
  });

  it('flags a detractor’s answer and a falling score', () => {
    const detractor = [answeredPoll('csat', 5, 90), answeredPoll('csat', 5, 60), answeredPoll('csat', 4, 30), answeredPoll('csat', 2, 3)];
    expect(churnRisk(facts({ polls: detractor }), now).reasons).toEqual(["the latest poll answer was a detractor's (CSAT 2/5)"]);
    const falling = [answeredPoll('nps', 10, 60), answeredPoll('nps', 10, 30), answeredPoll('nps', 7, 3)];
    expect(churnRisk(facts({ polls: falling }), now).reasons).toEqual([
      'satisfaction is falling: the latest answer, NPS 7/10, is 70% of the scale against an average of 100% over the 2 before it',
    ]);
    expect(churnRisk(facts({ polls: [answeredPoll('nps', 10, 30), answeredPoll('nps', 9, 3)] }), now)).toEqual(noRisk);
  });

  it('flags an open case past its deadline', () => {
    expect(churnRisk(facts({ cases: [openCase(3), openCase(-1, 'Not due yet')] }), now).reasons).toEqual(['a case is overdue by 3 days: "Invoice charged twice"']);
  });
});

describe('lifecycle', () => {
  it('reads value from won deals where the customer has deals', () => {
    const recent = [touch(5)];
    expect(lifecycle(facts({ interactions: recent, deals: [wonDeal(20, 5000)] }), noRisk, now)).toEqual({ stage: 'new', reason: 'first deal won 3 weeks ago' });
    expect(lifecycle(facts({ interactions: recent, deals: [wonDeal(400, 5000), wonDeal(100, 8000)] }), noRisk, now)).toEqual({ stage: 'loyal', reason: '2 deals won over 13 months' });
    expect(lifecycle(facts({ interactions: recent, deals: [wonDeal(200, 5000)] }), noRisk, now)).toEqual({ stage: 'active', reason: 'last deal won 7 months ago' });
    expect(lifecycle(facts({ interactions: recent, deals: [{ ...wonDeal(10, 900), stage: 'proposal', closedAt: null }] }), noRisk, now)).toEqual({
      stage: 'prospect',
      reason: 'a deal recorded, none won yet',
    });
  });

  it('falls back to contact, and says so, where no deals are recorded', () => {
    expect(lifecycle(facts(), noRisk, now).stage).toBe('prospect');
    const everyQuarter = timeline(touch(10), touch(100), touch(190), touch(280), touch(400));
    expect(lifecycle(facts({ interactions: everyQuarter }), noRisk, now)).toEqual({
      stage: 'loyal',
      reason: 'in touch every quarter of the last year, for 13 months in all (no deals recorded, so contact stands for value)',
    });
    expect(lifecycle(facts({ interactions: timeline(touch(10), touch(100), touch(400)) }), noRisk, now).stage).toBe('active');
  });

  it('is lost after six months of silence, and at risk with the churn warning’s reason', () => {
    expect(lifecycle(facts({ interactions: [touch(200)], deals: [wonDeal(300, 1000)] }), noRisk, now)).toEqual({
      stage: 'lost',
      reason: 'no contact for 7 months (lost after 6 months)',
    });
    expect(lifecycle(facts({ interactions: [touch(5)] }), { atRisk: true, reasons: ['a case is overdue by 3 days: "X"'] }, now)).toEqual({
      stage: 'at risk',
      reason: 'a case is overdue by 3 days: "X"',
    });
  });
});

describe('loyalty indicators', () => {
  it('reads tenure, frequency and its trend, recency, channels, satisfaction, buying and initiative', () => {
    const seen = facts({
      interactions: timeline(mail(10, 'inbound', 't1'), touch(20), touch(100, { kind: 'meeting' })),
      polls: [answeredPoll('csat', 5, 30), answeredPoll('nps', 8, 60)],
      deals: [wonDeal(120, 9000)],
    });
    expect(loyalty(seen, now)).toEqual({
      tenure: 'customer for 2 years',
      frequency: '2 touches in the last 90 days, rising (1 in the 90 before)',
      recency: 'last touch 10 days ago',
      channels: 'email, calls, meetings in the last year',
      satisfaction: 'satisfaction at 90% of the top score on average, over 2 poll answers in the last year',
      repeatBuying: '1 deal won',
      ownAccord: 'they started 1 of 3 touches in the last year (their mail to us)',
    });
  });
});

describe('relationship depth', () => {
  it('tells basic, reactive, accountable, proactive and partner apart by who starts touches and how often', () => {
    expect(relationshipDepth(facts({ interactions: [touch(30)] }), now)).toEqual({ level: 'basic', reason: 'one touch in the last year' });
    const theyCall = timeline(mail(5, 'inbound', 'a'), mail(15, 'inbound', 'b'), mail(25, 'inbound', 'c'), mail(35, 'inbound', 'd'), touch(40));
    expect(relationshipDepth(facts({ interactions: theyCall }), now)).toEqual({ level: 'reactive', reason: 'they started most touches: we started 1 of 5 touches in the last year' });
    const followedUp = timeline(mail(10, 'inbound', 'a'), mail(20, 'inbound', 'b'), touch(90));
    expect(relationshipDepth(facts({ interactions: followedUp, deals: [wonDeal(100, 5000, 'Renewal')] }), now)).toEqual({
      level: 'accountable',
      reason: 'we followed up after winning "Renewal"; we started 1 of 3 touches in the last year',
    });
    const monthly = timeline(touch(5), mail(10, 'inbound', 'a'), touch(35), touch(65));
    expect(relationshipDepth(facts({ interactions: monthly }), now)).toEqual({ level: 'proactive', reason: 'we started 3 of 4 touches in the last year, in each of the last 3 months' });
    const meetings = timeline(...[5, 35, 65, 95].map((days) => touch(days, { kind: 'meeting' })));
    expect(relationshipDepth(facts({ interactions: meetings }), now)).toEqual({ level: 'partner', reason: 'we started 4 of 4 touches in the last year, every month, with 4 meetings' });
  });
});

describe('unanswered customer mail', () => {
  it('lists inbound mail with no reply after two working days, in the owner’s zone', () => {
    // Now is Monday 7 December 2026, 10:00 in Paris.
    const carol = { participants: ['carol@acme.com', 'ana@ours.com'] };
    const bob = { participants: ['bob@acme.com', 'ana@ours.com'] };
    const unanswered = mail(5, 'inbound', 't1', carol);
    const interactions = timeline(
      unanswered,
      mail(4, 'inbound', 't2'),
      mail(2, 'outbound', 't2'),
      mail(3, 'inbound', 't3'),
      mail(6, 'inbound', 't4', bob),
      mail(5.5, 'outbound', 'other-mailbox-thread', bob),
      // Carol's mail is not answered by mail to her on another subject.
      mail(4.5, 'outbound', 't6', { ...carol, summary: 'Your invoice' }),
      mail(8, 'inbound', 't5'),
      touch(7),
      mail(40, 'inbound', 'old'),
    );
    expect(unansweredMail(interactions, now, 'Europe/Paris', ['ours.com'])).toEqual([{ mail: unanswered, dueAt: new Date(daysAgo(3)) }]);
  });
});
