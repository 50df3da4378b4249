import { afterEach, describe, expect, it } from 'vitest';
import { Guanxi, people } from '../../support/guanxi.ts';
import { postForm } from './answer-link.ts';

const chloe = 'chloe@ourteam.io';
const ana = 'ana@ourteam.io';

describe('satisfaction polls from Outlook', () => {
  let guanxi: Guanxi;
  afterEach(() => guanxi.stop());

  async function start(options: { graphAppRoles?: string[] } = {}) {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { outlook: true, ...options });
    guanxi.graph.addMailbox(chloe, { displayName: 'Chloé Martin' });
    await guanxi.crm(people.chloe.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.chloe.id, 'add contact jane@acme.com "Jane Doe" acme.com');
  }
  const links = (html: string) => [...html.matchAll(/href="https?:\/\/127\.0\.0\.1:\d+(\/p\/[A-Za-z0-9_.-]+)\?score=(\d+)"/g)].map((m) => ({ path: m[1]!, score: m[2]! }));

  it('sends the poll with Graph sendMail from the rep\'s own mailbox, kept in Sent Items, and its links record the answer', async () => {
    await start();
    await guanxi.connectOutlook(people.chloe.id, chloe);

    const reply = await guanxi.crmText(people.chloe.id, 'poll jane@acme.com nps');

    expect(reply).toContain('An NPS poll went to Jane Doe <jane@acme.com> from your Outlook chloe@ourteam.io');
    const [call] = guanxi.graph.callsTo('users.sendMail');
    expect(call).toMatchObject({ status: 202, auth: 'delegated', path: '/v1.0/me/sendMail', mailbox: chloe, body: { saveToSentItems: true } });
    const [sent] = guanxi.graph.sent(chloe);
    expect(sent).toMatchObject({ from: chloe, to: ['jane@acme.com'], subject: 'A quick question from Chloé Martin: How likely are you to recommend us to a friend or colleague?', contentType: 'html' });
    const found = links(sent!.content);
    expect(found.map((l) => l.score)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);

    const answered = await postForm(`${guanxi.url}${found[10]!.path}`, { score: '10' });
    expect(answered.status).toBe(303);
    const [acme] = await guanxi.server.core.store.customers.byName('Acme Corp');
    expect((await guanxi.server.core.store.polls.byCustomer(acme!.id))[0]!.answers.map((a) => [a.respondent, a.score])).toEqual([['jane@acme.com', 10]]);
  });

  it('tells a rep whose mailbox was connected without Mail.Send to reconnect, and sends nothing', async () => {
    await start();
    await guanxi.connectOutlook(people.chloe.id, chloe, { grantOnly: ['Mail.Read', 'User.Read'] });

    const reply = await guanxi.crmText(people.chloe.id, 'poll jane@acme.com');

    expect(reply).toBe('The CSAT poll was not sent: Microsoft does not let guanxi send mail from chloe@ourteam.io: it was connected before guanxi asked for permission to send (Mail.Send). Reconnect with /crm connect outlook, then ask for the poll again.');
    expect(guanxi.graph.callsTo('users.sendMail').map((call) => call.status)).toEqual([403]);
    expect(guanxi.graph.sent(chloe)).toEqual([]);
  });

  it('sends from a mailbox connected with the app\'s own access through /users/{address}/sendMail', async () => {
    await start({ graphAppRoles: ['Mail.Read', 'User.Read.All', 'Mail.Send'] });
    guanxi.graph.addMailbox(ana, { displayName: 'Ana Lima' });
    // Ana has used guanxi, so the mailbox the admin connects is hers.
    await guanxi.crm(people.ana.id, 'help');
    await guanxi.crm(people.chloe.id, `connect outlook ${ana}`);
    await guanxi.server.core.mail!.idle();

    expect(await guanxi.crmText(people.ana.id, 'poll jane@acme.com')).toContain('A CSAT poll went to Jane Doe <jane@acme.com> from your Outlook ana@ourteam.io');

    expect(guanxi.graph.callsTo('users.sendMail')).toMatchObject([{ status: 202, auth: 'app', path: `/v1.0/users/${encodeURIComponent(ana)}/sendMail` }]);
    expect(guanxi.graph.sent(ana)).toMatchObject([{ from: ana, to: ['jane@acme.com'] }]);
  });

  it('says an admin must grant Mail.Send when the app\'s own access lacks it', async () => {
    await start();
    guanxi.graph.addMailbox(ana, { displayName: 'Ana Lima' });
    // Ana has used guanxi, so the mailbox the admin connects is hers.
    await guanxi.crm(people.ana.id, 'help');
    await guanxi.crm(people.chloe.id, `connect outlook ${ana}`);
    await guanxi.server.core.mail!.idle();

    expect(await guanxi.crmText(people.ana.id, 'poll jane@acme.com')).toBe(
      'The CSAT poll was not sent: Microsoft does not let guanxi send mail from ana@ourteam.io with its own access: an admin must grant the app registration the Mail.Send application permission.',
    );
  });
});
