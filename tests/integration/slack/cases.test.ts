import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttons, Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();

const mention = (person: { id: string; name: string }) => `<@${person.id}|${person.name}>`;

/** Ana (the first, so the admin, in Los Angeles) and Chloé (a rep in Paris, managed by Bo in Shanghai). */
async function team(guanxi: Guanxi, chloeManager: string | null = people.bo.id): Promise<void> {
  await guanxi.crm(people.ana.id, 'help');
  await guanxi.crm(people.bo.id, 'help');
  await guanxi.crm(people.chloe.id, 'help');
  const members = guanxi.server.core.store.members;
  await members.put({ ...(await members.get(people.chloe.id))!, managerId: chloeManager });
}

const dmsTo = (guanxi: Guanxi, userId: string) => guanxi.slack.postsTo(userId);
const allDms = (guanxi: Guanxi) => guanxi.slack.callsTo('chat.postMessage');

describe('cases', () => {
  let guanxi: Guanxi;
  // Wednesday 2 December 2026: 09:00 in Los Angeles, 18:00 in Paris.
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z');
    await team(guanxi);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add customer "Globex" globex.com');
    await guanxi.crm(people.ana.id, `assign acme ${mention(people.chloe)}`);
  });
  afterEach(() => guanxi.stop());

  it('open with a due time read in the rep’s own zone, and show on the customer’s card', async () => {
    const opened = await guanxi.crmText(people.ana.id, 'case acme corp "invoice 1042 charged twice" due fri 5pm');
    expect(opened).toMatch(/^Opened case case_\w+ on \*Acme Corp\*: invoice 1042 charged twice\nDue Fri 4 Dec, 17:00, as you asked\./);
    const [stored] = await guanxi.server.core.store.cases.open();
    expect(stored).toMatchObject({ customerId: expect.any(String), text: 'invoice 1042 charged twice', openedBy: people.ana.id, dueAt: '2026-12-05T01:00:00.000Z', status: 'open' });

    const card = readBlocks((await guanxi.crm(people.chloe.id, 'find acme')).reply.body['blocks']);
    expect(card).toContain(`Open cases\n• due Sat 5 Dec, 02:00 (in 2 days): invoice 1042 charged twice (opened by Ana Lima; ${stored!.id})`);
  });

  it('without a due time, are due in 1, 2 or 5 working days by the customer’s tier, and say how the tier was computed', async () => {
    // Interactions logged: Acme 12, Beta 4, Gamma 3, Delta 1, Empty none; 20 in all.
    // A = Acme and Beta (the first 80%), B = Gamma (the next 15%), C = Delta and Empty.
    const logged = { acme: 12, beta: 4, gamma: 3, delta: 1 };
    for (const name of ['Beta', 'Gamma', 'Delta', 'Empty']) await guanxi.crm(people.ana.id, `add customer ${name} ${name.toLowerCase()}.com`);
    for (const [name, count] of Object.entries(logged)) {
      for (let i = 0; i < count; i++) await guanxi.crm(people.ana.id, `log ${name} note "touch ${i}"`);
    }

    const acme = await guanxi.crmText(people.ana.id, 'case acme "wrong invoice"');
    expect(acme).toContain('Due Thu 3 Dec, 09:00, 1 working day for a tier A customer. *Acme Corp* is tier A; tiers are by interaction volume, as no deals were won in the last 12 months (A: the top customers making up 80% of it, B: the next 15%).');
    expect(await guanxi.crmText(people.ana.id, 'case beta.com "late delivery"')).toContain('Due Thu 3 Dec, 09:00, 1 working day for a tier A customer.');
    expect(await guanxi.crmText(people.ana.id, 'case gamma "wants a callback"')).toContain('Due Fri 4 Dec, 09:00, 2 working days for a tier B customer. *Gamma* is tier B;');
    // Five working days from a Wednesday skip the weekend.
    expect(await guanxi.crmText(people.ana.id, 'case delta "broken login"')).toContain('Due Wed 9 Dec, 09:00, 5 working days for a tier C customer. *Delta* is tier C;');
    expect(await guanxi.crmText(people.ana.id, 'case empty "asks for a quote"')).toContain('*Empty* is tier C;');
    // Working days are counted in the opener's zone: 18:00 on Wednesday in Paris.
    expect(await guanxi.crmText(people.chloe.id, 'case gamma "second complaint"')).toContain('Due Fri 4 Dec, 18:00, 2 working days');

    // Once a deal is won, tiers are by revenue: Delta, the only customer with a won deal, is A.
    await guanxi.crm(people.ana.id, 'deal delta 50k won');
    expect(await guanxi.crmText(people.ana.id, 'case delta "invoice missing"')).toContain(
      'Due Thu 3 Dec, 09:00, 1 working day for a tier A customer. *Delta* is tier A; tiers are by won-deal revenue over the last 12 months',
    );
    expect(await guanxi.crmText(people.ana.id, 'case acme "another one"')).toContain('5 working days for a tier C customer.');
  });

  it('are listed overdue first, then soonest due, each with customer, age, owner, due time and id', async () => {
    await guanxi.crm(people.ana.id, 'case globex "needs a W-9" due in 5 days');
    await guanxi.crm(people.ana.id, 'case acme "refund pending" due tomorrow 9am');
    guanxi.clock.set('2026-12-02T19:00:00Z');
    await guanxi.crm(people.chloe.id, 'case acme "callback about pricing" due in 2 hours');
    guanxi.clock.set('2026-12-03T18:00:00Z');

    const { reply } = await guanxi.crm(people.bo.id, 'case list');
    const cases = await guanxi.server.core.store.cases.open();
    const id = (text: string) => cases.find((c) => c.text === text)!.id;
    // Bo reads the times in Shanghai.
    expect(readBlocks(reply.body['blocks']).split('\n').slice(0, 4)).toEqual([
      'Open cases (3, 2 overdue)',
      `• overdue since Thu 3 Dec, 05:00 (21 hours ago), Acme Corp: callback about pricing (opened 23 hours ago by Chloé Martin; owner Chloé Martin; ${id('callback about pricing')})`,
      `• overdue since Fri 4 Dec, 01:00 (1 hour ago), Acme Corp: refund pending (opened 1 day ago by Ana Lima; owner Chloé Martin; ${id('refund pending')})`,
      `• due Tue 8 Dec, 01:00 (in 4 days), Globex: needs a W-9 (opened 1 day ago by Ana Lima; owner nobody; ${id('needs a W-9')})`,
    ]);
  });

  it('close, by anyone on the team, recording who and the note, and offer to poll the customer', async () => {
    await guanxi.crm(people.ana.id, 'case acme "invoice charged twice"');
    const [open] = await guanxi.server.core.store.cases.open();
    guanxi.clock.set('2026-12-02T18:00:00Z');

    const { reply } = await guanxi.crm(people.bo.id, `case close ${open!.id} refunded the second charge`);
    expect(reply.body['text']).toBe(`Closed case ${open!.id} on *Acme Corp*: invoice charged twice\nNote: refunded the second charge\nAsk *Acme Corp* how it went?`);
    expect(buttons(reply.body['blocks'])).toEqual([{ actionId: expect.stringMatching(/^poll_after_case:\d+$/), value: open!.id, text: 'Send a satisfaction poll' }]);
    expect(await guanxi.server.core.store.cases.get(open!.id)).toMatchObject({
      status: 'closed', closedBy: people.bo.id, closedAt: '2026-12-02T18:00:00.000Z', closeNote: 'refunded the second charge',
    });

    expect(await guanxi.crmText(people.ana.id, 'case list')).toContain('There are no open cases.');
    const card = readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks']);
    expect(card).not.toContain('Open cases');
    expect(card).toContain('Recently closed cases\n• invoice charged twice, closed Wed 2 Dec, 10:00 by Bo Chen: refunded the second charge');

    guanxi.clock.set('2026-12-02T19:00:00Z');

    expect(await guanxi.crmText(people.chloe.id, `case close ${open!.id}`)).toBe(`Case ${open!.id} on *Acme Corp* was already closed 1 hour ago by Bo Chen. See the open ones with /crm case list.`);
  });

  it('close by the start of an id, and say what to do with an id that is not a case', async () => {
    await guanxi.crm(people.ana.id, 'case acme "invoice charged twice"');
    const [open] = await guanxi.server.core.store.cases.open();
    expect(await guanxi.crmText(people.ana.id, 'case close case_nothere')).toBe('There is no case "case_nothere". See the open cases and their ids with /crm case list.');
    expect(await guanxi.crmText(people.ana.id, `case close ${open!.id.slice(5, 10)}`)).toContain(`Closed case ${open!.id}`);
  });

  it('refuse an unknown customer, a due time in the past or unreadable, and a case with no text, saying how to fix it', async () => {
    expect(await guanxi.crmText(people.ana.id, 'case acmee "broken login"')).toBe('No customer matches "acmee". Did you mean *Acme Corp*?');
    expect(await guanxi.crmText(people.ana.id, 'case acme "broken login" due 2026-12-01 9am')).toBe(
      'That due time is in the past (Tue 1 Dec, 09:00). Pick a time still to come, such as tomorrow 5pm, or leave out "due" for the deadline of the customer\'s tier.\n' +
        'Usage: /crm case <customer> <text> [due <when>]\nExample: /crm case acme "invoice 1042 charged twice" due fri 5pm',
    );
    expect(await guanxi.crmText(people.ana.id, 'case acme broken login due someday')).toContain('I couldn\'t read "someday" as a time.');
    expect(await guanxi.crmText(people.ana.id, 'case acme')).toContain('Add what the complaint or request is, after "acme".');
    expect(await guanxi.server.core.store.cases.open()).toEqual([]);
  });
});

describe('an overdue case', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z');
  });
  afterEach(() => guanxi.stop());

  it('escalates exactly once, to the owner’s manager, the minute it becomes overdue', async () => {
    await team(guanxi);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, `assign acme ${mention(people.chloe)}`);
    // Acme is the only customer with interactions: tier A, due in 1 working day, Thursday 09:00 in Los Angeles.
    await guanxi.crm(people.ana.id, 'log acme call "angry about the invoice"');
    await guanxi.crm(people.ana.id, 'case acme "invoice charged twice"');
    const [open] = await guanxi.server.core.store.cases.open();
    expect(open!.dueAt).toBe('2026-12-03T17:00:00.000Z');
    const before = allDms(guanxi).length;

    guanxi.clock.set('2026-12-03T16:59:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    expect(allDms(guanxi)).toHaveLength(before);

    guanxi.clock.set('2026-12-03T17:00:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    expect(allDms(guanxi).slice(before).map((dm) => dm.args['channel'])).toEqual([people.bo.id]);
    const [dm] = dmsTo(guanxi, people.bo.id);
    expect(readBlocks(dm!.args['blocks'])).toBe([
      `Overdue case on Acme Corp: invoice charged twice (${open!.id})`,
      'Overdue\nsince Fri 4 Dec, 01:00 (just now)',
      'Owner\nChloé Martin',
      'Opened\nThu 3 Dec, 01:00 by Ana Lima',
      'Open Acme Corp',
      `You get this as Chloé Martin's manager. Times in Asia/Shanghai. Close it with /crm case close ${open!.id} [note].`,
    ].join('\n'));
    expect(buttons(dm!.args['blocks'])).toEqual([{ actionId: expect.stringMatching(/^open_customer:\d+$/), value: open!.customerId, text: 'Open Acme Corp' }]);
    expect(await guanxi.server.core.store.cases.get(open!.id)).toMatchObject({ escalatedAt: '2026-12-03T17:00:00.000Z', escalatedTo: people.bo.id, status: 'open' });

    guanxi.clock.set('2026-12-03T17:01:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    guanxi.clock.set('2026-12-03T17:02:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    await guanxi.restart();
    guanxi.clock.set('2026-12-03T17:03:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    expect(allDms(guanxi)).toHaveLength(before + 1);
    expect(await guanxi.crmText(people.ana.id, 'case list')).toContain('*overdue* since Thu 3 Dec, 09:00 (3 minutes ago), *Acme Corp*');
  });

  it('goes to the admins when the customer has no owner, or the owner no manager, and says so', async () => {
    await team(guanxi, null);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add customer "Globex" globex.com');
    await guanxi.crm(people.ana.id, `assign acme ${mention(people.chloe)}`);
    await guanxi.crm(people.chloe.id, 'case acme "missing parts" due in 1 hour');
    await guanxi.crm(people.chloe.id, 'case globex "wrong address" due in 1 hour');
    const before = allDms(guanxi).length;

    guanxi.clock.set('2026-12-02T18:00:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    const sent = allDms(guanxi).slice(before);
    expect(sent.map((dm) => dm.args['channel'])).toEqual([people.ana.id, people.ana.id]);
    const said = sent.map((dm) => readBlocks(dm.args['blocks']));
    expect(said.find((text) => text.includes('missing parts'))).toContain('You get this as an admin, because Chloé Martin has no manager (an admin sets one with /crm team).');
    expect(said.find((text) => text.includes('wrong address'))).toContain('You get this as an admin, because Globex has no owner (give it one with /crm assign).');
  });

  it('is tried again next minute when the DM fails, without holding up the others', async () => {
    await team(guanxi);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add customer "Globex" globex.com');
    await guanxi.crm(people.ana.id, `assign acme ${mention(people.chloe)}`);
    await guanxi.crm(people.ana.id, 'case acme "missing parts" due in 1 hour');
    await guanxi.crm(people.ana.id, 'case globex "wrong address" due in 2 hours');
    guanxi.clock.set('2026-12-02T19:00:00Z');
    guanxi.slack.failNext('chat.postMessage', { error: 'internal_error' });

    const delivered = () => guanxi.slack.callsTo('chat.postMessage').filter((call) => call.response['ok']).map((call) => String(call.args['text']));
    await guanxi.server.scheduler.run('case-escalations');
    expect(delivered()).toEqual([expect.stringContaining('wrong address')]);

    guanxi.clock.set('2026-12-02T19:01:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    await guanxi.server.scheduler.run('case-escalations');
    expect(delivered()).toEqual([expect.stringContaining('wrong address'), expect.stringContaining('missing parts')]);
  });
});

describe('an overdue case for several admins', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z');
  });
  afterEach(() => guanxi.stop());

  it('tells only the admins not yet told when a DM to one of them failed', async () => {
    await team(guanxi, null);
    await guanxi.crm(people.ana.id, `team ${mention(people.bo)} role admin`);
    await guanxi.crm(people.ana.id, 'add customer Globex globex.com');
    await guanxi.crm(people.ana.id, 'case globex "wrong address" due in 1 hour');
    guanxi.clock.set('2026-12-02T18:00:00Z');
    const before = allDms(guanxi).length;
    guanxi.slack.failNext('chat.postMessage', { error: 'internal_error', channel: people.bo.id });

    await guanxi.server.scheduler.run('case-escalations');
    guanxi.clock.set('2026-12-02T18:01:00Z');
    await guanxi.server.scheduler.run('case-escalations');
    guanxi.clock.set('2026-12-02T18:02:00Z');
    await guanxi.server.scheduler.run('case-escalations');

    const delivered = allDms(guanxi).slice(before).filter((call) => call.response['ok']).map((call) => call.args['channel']);
    expect(delivered.sort()).toEqual([people.ana.id, people.bo.id].sort());
    const [stored] = await guanxi.server.core.store.cases.open();
    expect(stored).toMatchObject({ escalatedAt: '2026-12-02T18:01:00.000Z' });
    expect(stored!.escalatedTo!.split(',').sort()).toEqual([people.ana.id, people.bo.id].sort());
  });
});

describe('an overdue case with two instances on one database', () => {
  const running: Guanxi[] = [];
  afterEach(async () => {
    // The sibling first: the first instance owns the fakes it uses.
    for (const instance of running.splice(0).reverse()) await instance.stop();
  });

  it('escalates once when both schedulers run at the same time', async () => {
    const one = await Guanxi.start('2026-12-02T17:00:00Z', { databaseUrl: (await postgres.createDatabase()).url });
    running.push(one);
    const two = await one.sibling();
    running.push(two);
    await team(one);
    await one.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await two.crm(people.ana.id, `assign acme ${mention(people.chloe)}`);
    await two.crm(people.chloe.id, 'case acme "missing parts" due in 1 hour');
    one.clock.set('2026-12-02T18:00:00Z');

    await Promise.all([one.server.scheduler.run('case-escalations'), two.server.scheduler.run('case-escalations')]);
    await Promise.all([two.server.scheduler.run('case-escalations'), one.server.scheduler.run('case-escalations')]);

    expect(dmsTo(one, people.bo.id).map((dm) => dm.args['text'])).toEqual([expect.stringContaining('*Overdue case* on *Acme Corp*: missing parts')]);
  });
});
