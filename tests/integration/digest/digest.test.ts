import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deal } from '../../../src/domain/deal.ts';
import { notAMessage, type Interaction } from '../../../src/domain/interaction.ts';
import type { Poll } from '../../../src/domain/poll.ts';
import type { Store } from '../../../src/store/store.ts';
import { buttons, Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { blockActionPayload } from '../../support/slack-requests.ts';

const mention = (person: { id: string; name: string }) => `<@${person.id}|${person.name}>`;

// Monday 7 December 2026, 08:00 in Los Angeles, where Ana, the admin, reads the team's digest.
// "Since Friday" is Friday 4 December 00:00 to Monday 00:00 in Los Angeles (08:00 UTC each).
const now = '2026-12-07T16:00:00.000Z';

describe('the morning digest', () => {
  let guanxi: Guanxi;
  let store: Store;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    guanxi = await Guanxi.start('2026-11-20T17:00:00Z');
    store = guanxi.server.core.store;
    await guanxi.crm(people.ana.id, 'help');
    await guanxi.crm(people.bo.id, 'help');
    await guanxi.crm(people.chloe.id, 'help');
    for (const [name, domain] of [['Acme', 'acme.com'], ['Globex', 'globex.com'], ['Initech', 'initech.io'], ['Hooli', 'hooli.com'], ['"Initech Ltd"', 'initech.co.uk']]) {
      await guanxi.crm(people.ana.id, `add customer ${name} ${domain}`);
      ids[name!] = (await store.customers.byDomain(domain!))!.id;
      guanxi.clock.advance(60_000);
    }
    await guanxi.crm(people.ana.id, `assign acme ${mention(people.ana)}`);
    await guanxi.crm(people.ana.id, `assign initech ${mention(people.ana)}`);
    await guanxi.crm(people.ana.id, `assign globex ${mention(people.chloe)}`);
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');
    await guanxi.crm(people.ana.id, 'birthday jane@acme.com 1985-12-09');
    await guanxi.crm(people.ana.id, 'add contact max@globex.com Max Power');
    await guanxi.crm(people.ana.id, 'birthday max@globex.com 12-08');
    const acme = (await store.customers.get(ids['Acme']!))!;
    // A customer since Thursday 10 December 2024.
    await store.customers.update({ ...acme, createdAt: '2024-12-10T17:00:00.000Z' });

    // Won-deal revenue over the last 12 months: Acme 80,000, Globex 15,000, Initech 5,000 of 100,000.
    // A = Acme (the first 80%), B = Globex (the next 15%), C = Initech and Hooli.
    await store.deals.insert(deal('Acme', 'Renewal', [['2026-11-10T17:00:00.000Z', 'proposal', 70_000], ['2026-12-04T18:00:00.000Z', 'won', 80_000]]));
    await store.deals.insert(deal('Globex', 'Platform', [['2026-06-01T17:00:00.000Z', 'won', 15_000]]));
    await store.deals.insert(deal('Initech', 'Pilot', [['2026-05-01T17:00:00.000Z', 'won', 5_000]]));

    // Ana: a note on Thursday, two calls and a reply on Friday. Chloé: a meeting on Friday.
    await store.interactions.insert(touch('Acme', 'note', '2026-12-03T18:00:00.000Z', people.ana.id));
    await store.interactions.insert(touch('Acme', 'call', '2026-12-04T17:00:00.000Z', people.ana.id));
    await store.interactions.insert(touch('Acme', 'call', '2026-12-04T20:00:00.000Z', people.ana.id));
    await store.interactions.insert(touch('Hooli', 'meeting', '2026-12-04T18:00:00.000Z', people.chloe.id));
    // Globex heard from Chloé every week until 8 November, and never since: a gap of 4 weeks against 7 days.
    for (const at of ['2026-10-18T16:00:00.000Z', '2026-10-25T16:00:00.000Z', '2026-11-01T16:00:00.000Z', '2026-11-08T16:00:00.000Z']) {
      await store.interactions.insert(touch('Globex', 'call', at, people.chloe.id));
    }
    // Initech: thread t1 (Wednesday 08:00) has no reply; t2 was answered on Friday; t3 came on Sunday, not yet due.
    await store.interactions.insertMessages([
      mail('Initech', 'Pricing question', '2026-12-02T16:00:00.000Z', 'inbound', 't1'),
      mail('Initech', 'Contract draft', '2026-12-03T17:00:00.000Z', 'inbound', 't2'),
      mail('Initech', 'Re: Contract draft', '2026-12-04T22:00:00.000Z', 'outbound', 't2'),
      mail('Initech', 'Weekend thoughts', '2026-12-06T17:00:00.000Z', 'inbound', 't3'),
    ]);

    // Since Friday: Initech's CSAT 5 on Friday, then Acme's NPS 3 on Saturday.
    await store.polls.insert(poll('Initech', 'csat', 'lee@initech.io', 5, null, '2026-12-04T20:00:00.000Z'));
    await store.polls.insert(poll('Acme', 'nps', 'jane@acme.com', 3, 'Support was slow', '2026-12-05T18:00:00.000Z'));
    await store.cases.insert({
      id: 'case_hooli', customerId: ids['Hooli']!, text: 'Invoice charged twice', openedBy: people.chloe.id, openedAt: '2026-12-02T16:00:00.000Z',
      dueAt: '2026-12-04T16:00:00.000Z', status: 'open', escalatedAt: '2026-12-04T16:00:00.000Z', escalatedTo: people.ana.id, closedAt: null, closedBy: null, closeNote: null,
    });
    await store.reminders.insert({
      id: 'rem_quote', customerId: ids['Globex']!, ownerId: people.chloe.id, text: 'send the renewal quote', dueAt: '2026-12-04T17:00:00.000Z',
      status: 'open', deliveredAt: '2026-12-04T17:00:00.000Z', doneAt: null, createdAt: '2026-12-01T17:00:00.000Z',
    });
    await store.suggestions.change('umbrella.com', () => ({
      id: 'sug_umbrella', domain: 'umbrella.com', status: 'pending', firstSeenAt: '2026-12-01T17:00:00.000Z', lastSeenAt: '2026-12-04T17:00:00.000Z',
      messageCount: 3, people: [], seenBy: [people.ana.id], decidedAt: null, decidedBy: null,
    }));
    guanxi.clock.set(now);
  });
  afterAll(() => guanxi.stop());

  it('tells a manager, section by section, where the team should act today', async () => {
    expect(await guanxi.crmText(people.ana.id, 'digest')).toBe(
      [
        'Your team, Mon 7 Dec',
        '*Activity since Friday*',
        'Ana Lima: 3 touches (2 call, 1 email) ▁▁▁▁▁▃█ over 7 working days',
        'Bo Chen: 0 touches ▁▁▁▁▁▁▁ over 7 working days',
        'Chloé Martin: 1 touch (1 meeting) ▁▁▁▁▁▁█ over 7 working days',
        '*Overdue reminders*',
        'Chloé Martin: "send the renewal quote" for *Globex*, overdue by 3 days',
        '*Unanswered customer mail*',
        '*Initech*: "Pricing question" from lee@initech.io, 5 days ago, no reply in 2 working days; owner Ana Lima',
        '*A and B customers at risk*',
        "*Acme* (A): the latest poll answer was a detractor's (NPS 3/10)",
        '*Globex* (B): no contact for 4 weeks, over twice their usual gap of 7 days (the median gap between their 4 latest days with contact)',
        '*New poll answers*',
        '*Acme*: jane@acme.com answered NPS 3/10, a detractor: "Support was slow"',
        '*Initech*: lee@initech.io answered CSAT 5/5',
        '*Escalated cases*',
        '*Hooli*: "Invoice charged twice", overdue by 3 days, escalated 3 days ago',
        '*Deals that moved since Friday*',
        '*Acme*: Renewal, 80,000, proposal → won (was 70,000)',
        '*Birthdays and anniversaries this week*',
        "*Acme*: Jane Doe's birthday, Wed 9 Dec",
        '*Acme*: 2 years a customer, Thu 10 Dec',
        '*To review*',
        'umbrella.com, seen in 3 mails: make it a customer with /crm suggestions accept umbrella.com',
        '*Initech* and *Initech Ltd* may be one customer: the same name once case, punctuation and legal forms are set aside ("initech"); one domain name, "initech", under two suffixes: initech.io and initech.co.uk. See /crm duplicates',
      ]
        .map((line, i) => (i === 0 || line.startsWith('*') && line.endsWith('*') && !line.includes(':') ? line : `  • ${line}`))
        .join('\n'),
    );
  });

  it('gives a rep a brief of their own accounts, and says in one line when there is nothing', async () => {
    expect(await guanxi.crmText(people.chloe.id, 'digest')).toBe(
      [
        'Your day, Mon 7 Dec',
        '*Your reminders*',
        '  • "send the renewal quote" for *Globex*, overdue by 3 days',
        '*Your accounts at risk*',
        '  • *Globex* (B): no contact for 4 weeks, over twice their usual gap of 7 days (the median gap between their 4 latest days with contact)',
        '*Birthdays and anniversaries this week*',
        "  • *Globex*: Max Power's birthday, Tue 8 Dec",
      ].join('\n'),
    );
    // Bo owns no account; in Shanghai it is already Tuesday.
    expect(await guanxi.crmText(people.bo.id, 'digest')).toBe('Nothing needs you today (Tue 8 Dec): no overdue reminders, unanswered mail or customers at risk.');
  });

  it('puts tier, stage, risk, loyalty and relationship on the card, each with how it was computed', async () => {
    const globex = await guanxi.crmText(people.ana.id, 'find globex');
    expect(globex).toContain('How they are doing:');
    expect(globex).toContain('Tier B, by won-deal revenue over the last 12 months (A: the top customers making up 80% of it, B: the next 15%)');
    expect(globex).toContain('Stage: at risk, for the reason below\n');
    expect(globex).toContain('At risk: no contact for 4 weeks, over twice their usual gap of 7 days (the median gap between their 4 latest days with contact)');
    expect(globex).toContain(
      // Calls every week from 18 October to 8 November: 50 days ago to 29.
      'Loyalty: customer for 7 weeks; 4 touches in the last 90 days, rising (0 in the 90 before); last touch 4 weeks ago; calls in the last year; no poll answers in the last year; 1 deal won; they started 0 of 4 touches in the last year (their mail to us)',
    );
    expect(globex).toContain('Relationship: basic, we started 4 of 4 touches in the last year, but not every month and with no follow-up after a sale');

    const initech = await guanxi.crmText(people.ana.id, 'find initech');
    expect(initech).toContain('Tier C, by won-deal revenue');
    expect(initech).toContain('Not at risk: contact keeps to its usual rhythm');
    expect(initech).toContain('Unanswered mail: 1, the oldest "Pricing question" 5 days ago, with no reply within 2 working days');
  });

  it('is sent at 08:00, with a button to each customer’s card on every item about one', async () => {
    await guanxi.server.scheduler.run('digests');
    const dm = guanxi.slack.callsTo('chat.postMessage').find((call) => call.args['channel'] === people.ana.id)!;
    expect(dm.args['text']).toBe(await guanxi.crmText(people.ana.id, 'digest'));
    const cards = buttons(dm.args['blocks']).filter((b) => b.text === 'Open card').map((b) => b.value);
    expect(cards).toEqual([ids['Globex'], ids['Initech'], ids['Acme'], ids['Globex'], ids['Acme'], ids['Initech'], ids['Hooli'], ids['Acme'], ids['Acme'], ids['Acme'], ids['Initech']]);

    // The card opens in a modal beside the digest.
    const hooli = buttons(dm.args['blocks']).find((b) => b.value === ids['Hooli'])!;
    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: hooli.actionId, value: hooli.value, channelId: people.ana.id }));
    const opened = await guanxi.slack.waitFor('views.open');
    expect(readBlocks((opened.args['view'] as { blocks: unknown }).blocks)).toContain('Hooli');
  });

  function touch(customer: string, kind: Interaction['kind'], at: string, by: string): Interaction {
    return { id: `int_${customer}_${at}`, customerId: ids[customer]!, kind, summary: `${kind} with ${customer}`, occurredAt: at, loggedAt: at, loggedBy: by, linkReason: 'manual', permalink: null, ...notAMessage };
  }

  function mail(customer: string, subject: string, at: string, direction: 'inbound' | 'outbound', thread: string): Interaction {
    return {
      ...touch(customer, 'email', at, people.ana.id),
      summary: subject,
      linkReason: 'domain',
      direction,
      source: { provider: 'gmail', mailbox: people.ana.email, providerId: `gm-${at}`, messageId: `${at}@initech.io`, threadId: thread },
      snippet: '…',
      participants: ['lee@initech.io', people.ana.email],
    };
  }

  function deal(customer: string, name: string, steps: [string, Deal['stage'], number][]): Deal {
    const [lastAt, stage, amount] = steps.at(-1)!;
    return {
      id: `dea_${customer}`, customerId: ids[customer]!, name, amount, stage, createdBy: people.ana.id, createdAt: steps[0]![0], updatedAt: lastAt,
      closedAt: stage === 'won' ? lastAt : null, history: steps.map(([at, s, a]) => ({ at, by: people.ana.id, stage: s, amount: a })),
    };
  }

  function poll(customer: string, kind: Poll['kind'], email: string, score: number, comment: string | null, at: string): Poll {
    return {
      id: `pol_${customer}`, customerId: ids[customer]!, kind, via: 'gmail', contactId: null, email, channelId: null, caseId: null, askedBy: people.ana.id,
      status: 'sent', sendAt: '2026-12-01T17:00:00.000Z', sentAt: '2026-12-01T17:00:00.000Z', expiresAt: '2026-12-31T17:00:00.000Z',
      answers: [{ respondent: email, score, comment, answeredAt: at, updatedAt: at }], error: null, createdAt: '2026-12-01T17:00:00.000Z',
    };
  }
});

describe('a digest Slack refuses to post', () => {
  it('is not lost while Slack refuses guanxi\'s token: one error says so, and it goes at the first run after', async () => {
    const guanxi = await Guanxi.start('2026-12-01T17:00:00Z');
    try {
      await guanxi.crm(people.ana.id, 'add customer Acme acme.com');
      // Monday 7 December, 08:00 in Los Angeles.
      guanxi.clock.set('2026-12-07T16:00:00Z');
      guanxi.slack.failNext('chat.postMessage', { error: 'invalid_auth' });

      await guanxi.server.scheduler.run('digests');

      const posted = () => guanxi.slack.postsTo(people.ana.id).filter((call) => call.response['ok']);
      expect(posted()).toEqual([]);
      expect(guanxi.log.lines.filter((line) => line.includes('No digest can be sent'))).toEqual([
        `error No digest can be sent: Slack refuses guanxi's bot token (invalid_auth): set SLACK_BOT_TOKEN to the app's Bot User OAuth Token, or reinstall the app from manifests/slack.yaml (README, "Connect Slack"). They go out at the first run after. `,
      ]);

      guanxi.clock.set('2026-12-07T16:01:00Z');
      await guanxi.server.scheduler.run('digests');
      expect(posted()).toHaveLength(1);
    } finally {
      await guanxi.stop();
    }
  });
});

describe('birthdays in the digest', () => {
  it('lists the week\'s dates soonest first, today\'s at the top', async () => {
    // Monday 7 December 2026, 08:00 in Los Angeles: the week runs to Sunday 13 December.
    const guanxi = await Guanxi.start('2026-12-01T17:00:00Z');
    try {
      for (const [name, email, birthday] of [['Acme', 'jane@acme.com', '1990-12-12'], ['Globex', 'max@globex.com', '1985-12-09'], ['Initech', 'lee@initech.io', '1979-12-07']] as const) {
        await guanxi.crm(people.ana.id, `add customer ${name} ${email.split('@')[1]}`);
        await guanxi.crm(people.ana.id, `add contact ${email} ${name} Contact`);
        await guanxi.crm(people.ana.id, `birthday ${email} ${birthday}`);
        await guanxi.crm(people.ana.id, `deal ${name} 5k won`);
      }
      guanxi.clock.set('2026-12-07T16:00:00Z');

      const digest = await guanxi.crmText(people.ana.id, 'digest');

      expect(digest.split('\n').filter((line) => line.includes('birthday'))).toEqual([
        "  • *Initech*: Initech Contact's birthday, today",
        "  • *Globex*: Globex Contact's birthday, Wed 9 Dec",
        "  • *Acme*: Acme Contact's birthday, Sat 12 Dec",
      ]);
    } finally {
      await guanxi.stop();
    }
  });

  it('lists a 29 February birthday on the 28th in a year without one', async () => {
    // Monday 22 February 2027, 08:00 in Los Angeles: the week runs to Sunday 28 February.
    const guanxi = await Guanxi.start('2027-02-01T17:00:00Z');
    try {
      await guanxi.crm(people.ana.id, 'add customer Acme acme.com');
      await guanxi.crm(people.ana.id, 'add contact leap@acme.com Lee Leap');
      await guanxi.crm(people.ana.id, 'birthday leap@acme.com 1996-02-29');
      await guanxi.crm(people.ana.id, 'deal acme 5k won');
      guanxi.clock.set('2027-02-22T16:00:00Z');
      expect(await guanxi.crmText(people.ana.id, 'digest')).toContain("*Acme*: Lee Leap's birthday, Sun 28 Feb");
    } finally {
      await guanxi.stop();
    }
  });
});
