import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();
const ana = 'ana@ourteam.io';
const shared = 'C0ACMESHRD';
const jane = { id: 'U0JANEACME', name: 'jane', realName: 'Jane Doe', tz: 'America/New_York', email: 'jane@acme.com' };

/** Two guanxi servers on one PostgreSQL database, as behind a load balancer: same configuration, same Slack and Gmail. */
describe('two instances on one database', () => {
  let one: Guanxi;
  let two: Guanxi;
  const running: Guanxi[] = [];
  beforeEach(async () => {
    const database = await postgres.createDatabase();
    one = await Guanxi.start('2026-12-02T17:00:00Z', { gmail: true, databaseUrl: database.url });
    running.push(one);
    two = await one.sibling();
    running.push(two);
    one.slack.addUser(jane);
  });
  afterEach(async () => {
    // The sibling first: the first instance owns the fakes it uses.
    for (const instance of running.splice(0).reverse()) await instance.stop();
  });

  const timeline = async () => {
    const [acme] = await one.server.core.store.customers.byName('Acme Corp');
    return one.server.core.store.interactions.byCustomer(acme!.id, 50);
  };
  const dmsTo = (user: string) => one.slack.postsTo(user);

  it('both serve /crm: what is added through one is found through the other, and neither locks the data folder', async () => {
    expect(await one.crmText(people.ana.id, 'add customer "Acme Corp" acme.com')).toContain('Added customer *Acme Corp*');
    expect(await two.crmText(people.bo.id, 'log acme call "Talked pricing"')).toContain("Logged a call on *Acme Corp*'s timeline");

    expect(await two.crmText(people.bo.id, 'find acme')).toContain('Acme Corp');
    expect(await one.crmText(people.ana.id, 'find acme')).toContain('Talked pricing');
    expect(await two.crmText(people.bo.id, 'add customer "Acme Again" acme.com')).toContain('acme.com already belongs to *Acme Corp*');
    for (const instance of [one, two]) expect(await (await fetch(`${instance.url}/healthz`)).json()).toMatchObject({ store: 'postgres' });
    expect(await readdir(one.dataDir)).toEqual([]);
  });

  it('logs a channel message delivered to both once, whether Slack sent it as one event or two', async () => {
    await one.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await one.crm(people.ana.id, `link <#${shared}|acme-shared> acme`);
    await one.crm(people.ana.id, 'link <#C0MARKER01|acme-marker> acme');
    const message = (ts: string, text: string, channel = shared) => ({ type: 'message', channel, channel_type: 'channel', user: jane.id, text, ts, event_ts: ts });

    const answers = await Promise.all([
      one.event(message('1764694800.000100', 'One event'), { eventId: 'Ev0ONE' }),
      two.event(message('1764694800.000100', 'One event'), { eventId: 'Ev0ONE' }),
      one.event(message('1764694900.000100', 'Two events'), { eventId: 'Ev0TWO1' }),
      two.event(message('1764694900.000100', 'Two events'), { eventId: 'Ev0TWO2' }),
    ]);
    const messages = async () => (await timeline()).map((i) => i.summary).filter((summary) => !summary.startsWith('Marker'));
    // Slack is answered before the listeners run: wait for both messages, then for a marker sent last to each instance.
    await expect.poll(messages).toEqual(['Two events', 'One event']);
    await one.event(message('1764695000.000100', 'Marker one', 'C0MARKER01'));
    await two.event(message('1764695000.000200', 'Marker two', 'C0MARKER01'));
    await expect.poll(async () => (await timeline()).length).toBe(4);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await messages()).toEqual(['Two events', 'One event']);
  });

  it('logs a mail once, and reads it once, when its push reaches both at the same time', async () => {
    await one.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    one.gmail.addMailbox(ana);
    await one.connectGmail(people.ana.id, ana);
    const fetchesBefore = one.gmail.calls.filter((call) => call.method === 'users.messages.get').length;
    one.gmail.deliver(ana, { headers: { From: 'Jane Doe <jane@acme.com>', To: `Ana Lima <${ana}>`, Subject: 'Pricing for 40 seats', 'Message-ID': '<pricing-1@mail.acme.com>' } });
    one.gmail.deliver(ana, { headers: { From: 'Jane Doe <jane@acme.com>', To: `Ana Lima <${ana}>`, Subject: 'And the onboarding plan' } });
    const historyId = Number(one.gmail.historyId(ana));

    const pushed = await Promise.all([one.push({ emailAddress: ana, historyId }), two.push({ emailAddress: ana, historyId })]);

    expect(pushed.map((response) => response.status)).toEqual([204, 204]);
    expect((await timeline()).map((i) => i.summary).sort()).toEqual(['And the onboarding plan', 'Pricing for 40 seats']);
    expect((await one.server.core.store.contacts.byEmail('jane@acme.com'))?.name).toBe('Jane Doe');
    // One sync at a time across both: each message is fetched once (Gmail quota), and the cursor ends at the newest.
    expect(one.gmail.calls.filter((call) => call.method === 'users.messages.get').length - fetchesBefore).toBe(2);
    const [mailbox] = await two.server.core.store.mailboxes.byMember(people.ana.id);
    expect(mailbox!.cursor).toBe(String(historyId));
  });

  it('counts mail from a new work domain that reaches two mailboxes at once, one suggestion for both', async () => {
    const bo = people.bo.email;
    for (const [member, address] of [[people.ana.id, ana], [people.bo.id, bo]] as const) {
      one.gmail.addMailbox(address);
      await one.connectGmail(member, address);
      for (let n = 1; n <= 3; n++) one.gmail.deliver(address, { headers: { From: `Lee <lee${n}@initech.io>`, To: address, Subject: `Intro ${n} to ${address}` } });
    }

    const pushed = await Promise.all([
      one.push({ emailAddress: ana, historyId: Number(one.gmail.historyId(ana)) }),
      two.push({ emailAddress: bo, historyId: Number(one.gmail.historyId(bo)) }),
    ]);

    expect(pushed.map((response) => response.status)).toEqual([204, 204]);
    const suggestion = await two.server.core.store.suggestions.byDomain('initech.io');
    expect(suggestion).toMatchObject({ status: 'pending', messageCount: 6 });
    expect([...suggestion!.seenBy].sort()).toEqual([people.ana.id, people.bo.id].sort());
    expect(readBlocks((await one.crm(people.ana.id, 'suggestions')).reply.body['blocks'])).toContain('initech.io: 6 messages');
  });

  it('logs a mail pushed to one while the other is syncing, when that sync goes round again', async () => {
    await one.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    one.gmail.addMailbox(ana);
    await one.connectGmail(people.ana.id, ana);
    one.gmail.deliver(ana, { headers: { From: 'Jane Doe <jane@acme.com>', To: `Ana Lima <${ana}>`, Subject: 'First mail' } });
    // The first instance lists the history with only the first mail in it, then waits on fetching it.
    const release = one.gmail.holdNext('users.messages.get');
    const first = one.push({ emailAddress: ana, historyId: Number(one.gmail.historyId(ana)) });
    await one.gmail.waitFor('users.history.list');
    one.gmail.deliver(ana, { headers: { From: 'Jane Doe <jane@acme.com>', To: `Ana Lima <${ana}>`, Subject: 'Second mail' } });

    // The second's push finds the sync taken: it leaves it to the first, and Gmail is answered.
    expect((await two.push({ emailAddress: ana, historyId: Number(one.gmail.historyId(ana)) })).status).toBe(204);
    release();
    expect((await first).status).toBe(204);

    expect((await timeline()).map((i) => i.summary)).toEqual(['Second mail', 'First mail']);
    expect(one.gmail.callsTo('users.messages.get')).toHaveLength(2);
    const [mailbox] = await one.server.core.store.mailboxes.byMember(people.ana.id);
    expect(mailbox!.cursor).toBe(one.gmail.historyId(ana));
  });

  it('reads a mailbox once when both take up its interrupted backfill, as both do when they start', async () => {
    await one.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    one.gmail.addMailbox(ana);
    for (let i = 0; i < 250; i++) one.gmail.deliver(ana, { headers: { From: 'Jane Doe <jane@acme.com>', To: `Ana Lima <${ana}>`, Subject: `Mail ${i}` } });
    // Once the first page is listed, the listing keeps failing: the backfill stops after that page.
    const connecting = one.connectGmail(people.ana.id, ana);
    await one.gmail.waitFor('users.messages.list');
    for (let i = 0; i < 8; i++) one.gmail.failNext('users.messages.list', { status: 500 });
    await connecting;
    const [stopped] = await one.server.core.store.mailboxes.byMember(people.ana.id);
    expect(stopped!.backfill).toMatchObject({ status: 'running', scanned: 100 });
    one.gmail.reset();

    await Promise.all([one.server.core.mail!.resumeBackfills(), two.server.core.mail!.resumeBackfills()]);
    await Promise.all([one.server.core.mail!.idle(), two.server.core.mail!.idle()]);

    const [acme] = await one.server.core.store.customers.byName('Acme Corp');
    expect(await two.server.core.store.interactions.countByCustomer(acme!.id)).toBe(250);
    const [done] = await two.server.core.store.mailboxes.byMember(people.ana.id);
    expect(done!.backfill).toMatchObject({ status: 'done', scanned: 250, logged: 250 });
    expect(one.gmail.calls.filter((call) => call.method === 'users.messages.list')).toHaveLength(2);
  });

  it('delivers a due reminder once when both schedulers run at the same time, and the next one too', async () => {
    await one.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await two.crm(people.ana.id, 'remind acme fri 9am "send quote"');
    one.clock.set('2026-12-04T17:00:00Z');

    await Promise.all([one.server.scheduler.run('reminders'), two.server.scheduler.run('reminders')]);

    expect(dmsTo(people.ana.id).map((dm) => dm.args['text'])).toEqual([expect.stringContaining('Reminder for *Acme Corp*: send quote')]);

    await one.crm(people.ana.id, 'remind acme fri 10am "book the demo"');
    one.clock.set('2026-12-04T18:00:00Z');
    await Promise.all([two.server.scheduler.run('reminders'), one.server.scheduler.run('reminders')]);

    expect(dmsTo(people.ana.id).map((dm) => dm.args['text'])).toEqual([expect.stringContaining('send quote'), expect.stringContaining('book the demo')]);
  });

  it('sends a morning digest once when both schedulers run at once, and not again from either', async () => {
    await one.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    // Thursday 3 December, 08:00 in Los Angeles.
    one.clock.set('2026-12-03T16:00:00Z');

    await Promise.all([one.server.scheduler.run('digests'), two.server.scheduler.run('digests')]);
    await Promise.all([two.server.scheduler.run('digests'), one.server.scheduler.run('digests')]);

    expect(dmsTo(people.ana.id)).toHaveLength(1);
    expect(await two.server.core.store.digests.get(people.ana.id, '2026-12-03')).toMatchObject({ sentAt: '2026-12-03T16:00:00.000Z' });
  });
});
