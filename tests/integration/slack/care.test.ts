import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import type { Poll } from '../../../src/domain/poll.ts';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();

describe('caring for contacts', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    // Wednesday 2 December 2026, 09:00 in Los Angeles, 18:00 in Paris.
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z');
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');
  });
  afterEach(() => guanxi.stop());

  const card = async (userId: string) => readBlocks((await guanxi.crm(userId, 'find acme')).reply.body['blocks']);

  it('an opt-out warns at the top of the card and marks the contact, until an opt-in', async () => {
    expect(await guanxi.crmText(people.chloe.id, 'optout jane@acme.com')).toBe(
      "Noted: Jane Doe <jane@acme.com> asked not to be contacted unasked. No poll goes to them, and *Acme Corp*'s card warns everyone before they reach out. Undo with /crm optin jane@acme.com.",
    );

    const warned = await card(people.ana.id);
    expect(warned.split('\n').slice(0, 2)).toEqual(['Acme Corp', '⚠️ Jane Doe asked not to be contacted unasked since 2 Dec.']);
    expect(warned).toContain('Jane Doe <jane@acme.com>: ⛔ opted out since 2 Dec');
    expect(await guanxi.crmText(people.ana.id, 'optout jane@acme.com')).toBe('Jane Doe <jane@acme.com> has already opted out (noted by Chloé Martin on 2026-12-02). Undo with /crm optin jane@acme.com.');

    expect(await guanxi.crmText(people.ana.id, 'optin jane@acme.com')).toBe(
      'Jane Doe <jane@acme.com> may be contacted again: polls can go to them, and the card no longer warns. Undo with /crm optout jane@acme.com.',
    );
    const cleared = await card(people.ana.id);
    expect(cleared).not.toContain('asked not to be contacted');
    expect(cleared).toContain('Jane Doe <jane@acme.com>\n');
  });

  it('an opt-out for an address that is no contact yet makes one at the customer of its domain, so it is remembered', async () => {
    const text = await guanxi.crmText(people.ana.id, 'optout Kim@Acme.com');

    expect(text).toContain('kim@acme.com was not a contact yet: it is one now at *Acme Corp*, so that this is remembered. Undo with /crm optin kim@acme.com.');
    expect(await card(people.bo.id)).toContain('⚠️ kim@acme.com asked not to be contacted unasked since 3 Dec.');
    expect(await guanxi.server.core.store.contacts.byEmail('kim@acme.com')).toMatchObject({ optedOut: { at: '2026-12-02T17:00:00.000Z', by: people.ana.id } });

    expect(await guanxi.crmText(people.ana.id, 'optout lee@gmail.com')).toBe(
      'Noted: lee@gmail.com asked not to be contacted unasked. No poll goes to them, and the card of any customer they join will warn everyone before they reach out. lee@gmail.com was not a contact yet: it is one now, so that this is remembered. Undo with /crm optin lee@gmail.com.',
    );
    expect(await guanxi.server.core.store.contacts.byEmail('lee@gmail.com')).toMatchObject({ customerId: null, optedOut: { by: people.ana.id } });
  });

  it('preferred hours show in the contact\'s zone, with the viewer\'s own time when it differs', async () => {
    expect(await guanxi.crmText(people.ana.id, 'prefer jane@acme.com 9-12 Europe/Paris')).toBe(
      'Jane Doe <jane@acme.com> prefers to be reached 09:00–12:00 Europe/Paris (00:00–03:00, your time). Polls to them wait for these hours, and the card shows them. Clear with /crm prefer jane@acme.com none.',
    );

    expect(await card(people.chloe.id)).toContain('Jane Doe <jane@acme.com>: prefers 09:00–12:00 Europe/Paris\n');
    expect(await card(people.ana.id)).toContain('Jane Doe <jane@acme.com>: prefers 09:00–12:00 Europe/Paris (00:00–03:00, your time)');
    expect(await card(people.bo.id)).toContain('prefers 09:00–12:00 Europe/Paris (16:00–19:00, your time)');

    await guanxi.crm(people.bo.id, 'prefer jane@acme.com 2pm-5pm');
    expect(await card(people.ana.id)).toContain('prefers 14:00–17:00 Asia/Shanghai (22:00–01:00 the day before, your time)');

    await guanxi.crm(people.bo.id, 'prefer jane@acme.com none');
    expect(await card(people.ana.id)).not.toContain('prefers');
  });

  it('a birthday shows on the card; a date that is none is refused with the right form and changes nothing', async () => {
    expect(await guanxi.crmText(people.ana.id, 'birthday jane@acme.com 21 mar')).toBe("Jane Doe <jane@acme.com>'s birthday is 21 Mar; the card shows it. Clear with /crm birthday jane@acme.com none.");
    expect(await card(people.ana.id)).toContain('Jane Doe <jane@acme.com>: birthday 21 Mar');

    expect(await guanxi.crmText(people.ana.id, 'birthday jane@acme.com 02-30')).toBe(
      '"02-30" is not a day of the calendar. Write it as 03-21, 1984-03-21, 21 mar or mar 21.\nUsage: /crm birthday <email> <date>\nExample: /crm birthday jane@acme.com 21 mar',
    );
    expect(await guanxi.crmText(people.ana.id, 'prefer jane@acme.com 9-12 Mars/Olympus')).toContain('"Mars/Olympus" is not a time zone.');
    expect(await card(people.ana.id)).toContain('Jane Doe <jane@acme.com>: birthday 21 Mar\n');

    await guanxi.crm(people.ana.id, 'birthday jane@acme.com 1984-03-21');
    await guanxi.crm(people.ana.id, 'prefer jane@acme.com 9-12 America/Los_Angeles');
    await guanxi.crm(people.ana.id, 'optout jane@acme.com');
    expect(await card(people.ana.id)).toContain('Jane Doe <jane@acme.com>: ⛔ opted out since 2 Dec; prefers 09:00–12:00 America/Los_Angeles; birthday 21 Mar 1984');
  });

  it('hours and birthdays are for contacts: an unknown address is told how to add it', async () => {
    expect(await guanxi.crmText(people.ana.id, 'birthday kim@acme.com 03-21')).toBe('kim@acme.com is not a contact yet. Add them first: /crm add contact kim@acme.com <name>.');
    expect(await guanxi.server.core.store.contacts.byEmail('kim@acme.com')).toBeNull();
  });
});

describe.each(['lowdb', 'postgres'])('forgetting a person, in the %s store', (kind) => {
  const ana = 'ana@ourteam.io';
  let guanxi: Guanxi;
  let acme: Customer;
  beforeEach(async () => {
    const databaseUrl = kind === 'postgres' ? (await postgres.createDatabase()).url : undefined;
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { gmail: true, ...(databaseUrl ? { databaseUrl } : {}) });
    guanxi.gmail.addMailbox(ana);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');
    acme = (await guanxi.server.core.store.customers.byName('Acme Corp'))[0]!;
    await guanxi.connectGmail(people.ana.id, ana);
  });
  afterEach(() => guanxi.stop());

  const store = () => guanxi.server.core.store;
  const timeline = async () => store().interactions.byCustomer(acme.id, 50);
  const deliver = async (headers: Record<string, string>) => {
    guanxi.gmail.deliver(ana, { headers: { To: `Ana Lima <${ana}>`, ...headers } });
    expect((await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) })).status).toBe(204);
  };

  it('removes the contact and the address, keeps the timeline, and logs no new mail from the address', async () => {
    await deliver({ From: 'Jane Doe <jane@acme.com>', Cc: 'Bob <bob@acme.com>', Subject: 'Pricing, from jane@acme.com' });
    await deliver({ From: 'Bob <bob@acme.com>', Subject: 'Only Bob' });
    await guanxi.crm(people.ana.id, 'log acme note "Call Jane back"');

    const reply = await guanxi.crmText(people.ana.id, 'forget Jane@acme.com');

    expect(reply).toBe([
      'Forgot jane@acme.com:',
      '  • removed the contact Jane Doe <jane@acme.com> of *Acme Corp*',
      '  • took the address off 1 interaction, kept on its timeline without it and without the first words of the mail',
      '  • blocked it: new mail from or to it is not logged, and the block list is the one place the address stays',
      'Notes, reminders and cases the team wrote are kept as written. Undo the block, and only that, with /crm unblock.',
    ].join('\n'));
    expect(await store().contacts.byEmail('jane@acme.com')).toBeNull();
    const kept = await timeline();
    expect(kept.map((i) => i.summary).sort()).toEqual(['Call Jane back', 'Only Bob', 'Pricing, from (forgotten)']);
    expect(kept.find((i) => i.summary.startsWith('Pricing'))).toMatchObject({ participants: [ana, 'bob@acme.com'], snippet: null });
    const card = readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks']);
    expect(card).not.toContain('jane@acme.com');
    expect(card).toContain('bob@acme.com');

    await deliver({ From: 'Jane Doe <jane@acme.com>', Subject: 'I am back' });
    await deliver({ From: 'Bob <bob@acme.com>', Cc: 'jane@acme.com', Subject: 'Bob again' });

    const after = await timeline();
    expect(after.map((i) => i.summary)).not.toContain('I am back');
    expect(after.find((i) => i.summary === 'Bob again')?.participants).toEqual(['bob@acme.com', ana]);
    expect(await store().contacts.byEmail('jane@acme.com')).toBeNull();
    expect((await store().blocks.list()).map((b) => b.id)).toEqual(['jane@acme.com']);
  });

  it('forgets an address that is no contact: it is taken off mail and blocked', async () => {
    await deliver({ From: 'Bob <bob@acme.com>', Cc: 'kim@acme.com', Subject: 'Both' });
    await store().contacts.remove((await store().contacts.byEmail('kim@acme.com'))!.id);

    const reply = await guanxi.crmText(people.ana.id, 'forget kim@acme.com');

    expect(reply).toContain('no contact had this address');
    expect(reply).toContain('took the address off 1 interaction');
    expect((await timeline())[0]!.participants).toEqual(['bob@acme.com', ana]);
  });

  it('keeps the scores of polls without who gave them, sends no scheduled one, and takes the address off a suggested customer', async () => {
    const contact = (await store().contacts.byEmail('jane@acme.com'))!;
    const poll = (fields: Partial<Poll> & { id: string }): Poll => ({
      customerId: acme.id, kind: 'csat', via: 'gmail', contactId: contact.id, email: 'jane@acme.com', channelId: null, caseId: null,
      askedBy: people.ana.id, status: 'sent', sendAt: '2026-11-20T09:00:00Z', sentAt: '2026-11-20T09:00:00Z', expiresAt: '2026-12-20T09:00:00Z',
      answers: [], error: null, createdAt: '2026-11-20T09:00:00Z', ...fields,
    });
    const answer = { respondent: 'jane@acme.com', score: 5, comment: 'Jane here, all good', answeredAt: '2026-11-21T09:00:00Z', updatedAt: '2026-11-21T09:00:00Z' };
    await store().polls.insert(poll({ id: 'pol_answered', answers: [answer] }));
    await store().polls.insert(poll({ id: 'pol_later', status: 'scheduled', sendAt: '2026-12-03T09:00:00Z', sentAt: null }));
    await store().polls.insert(poll({ id: 'pol_other', contactId: null, email: 'bob@acme.com' }));
    await deliver({ From: 'Jane Doe <jane@acme.com>', Cc: 'Ivy <ivy@initech.io>, Sam <sam@initech.io>', Subject: 'Meet Initech' });

    const reply = await guanxi.crmText(people.ana.id, 'forget ivy@initech.io');
    expect(reply).toContain('removed it from the suggested customer it was listed under');
    expect((await store().suggestions.byDomain('initech.io'))?.people.map((p) => p.email)).toEqual(['sam@initech.io']);

    expect(await guanxi.crmText(people.ana.id, 'forget jane@acme.com')).toContain('took it off 2 polls: scores stay, without who was asked or answered, and comments are gone');
    expect(await store().polls.get('pol_answered')).toMatchObject({ contactId: null, email: null, answers: [{ respondent: '(forgotten)', score: 5, comment: null }] });
    expect(await store().polls.get('pol_later')).toMatchObject({ email: null, status: 'failed', error: 'Not sent: the person asked to be forgotten.' });
    expect(await store().polls.due(new Date('2026-12-04T00:00:00Z'))).toEqual([]);
    expect(await store().polls.get('pol_other')).toMatchObject({ email: 'bob@acme.com' });
  });
});
