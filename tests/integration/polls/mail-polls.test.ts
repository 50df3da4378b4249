import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { answerLinks, postForm } from './answer-link.ts';

const ana = 'ana@ourteam.io';

describe('satisfaction polls by mail', () => {
  let guanxi: Guanxi;
  let acme: Customer;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { gmail: true });
    guanxi.gmail.addMailbox(ana);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com "Jane Doe" acme.com');
    acme = (await store().customers.byName('Acme Corp'))[0]!;
  });
  afterEach(() => guanxi.stop());

  const store = () => guanxi.server.core.store;
  const card = async () => readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks']);
  const pollsOfAcme = () => store().polls.byCustomer(acme.id);

  it('sends a CSAT poll from the rep\'s own Gmail, with one signed link per score', async () => {
    await guanxi.connectGmail(people.ana.id, ana);

    const reply = await guanxi.crmText(people.ana.id, 'poll jane@acme.com');

    expect(reply).toContain('A CSAT poll went to Jane Doe <jane@acme.com> from your Gmail ana@ourteam.io');
    const [sent, ...more] = guanxi.gmail.sent(ana);
    expect(more).toEqual([]);
    expect(sent!.from).toBe(ana);
    expect(sent!.to).toBe('Jane Doe <jane@acme.com>');
    expect(sent!.subject).toBe('A quick question from Ana Lima: How satisfied are you with us?');
    const links = answerLinks(guanxi, sent!.text!);
    expect(links.map((link) => new URL(link).searchParams.get('score'))).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(links.map((link) => new URL(link).pathname)).size).toBe(1);
    expect(sent!.html).toContain('href="https://crm.ourteam.io/p/');
    const send = guanxi.gmail.callsTo('users.messages.send')[0]!;
    expect(send).toMatchObject({ status: 200, mailbox: ana });
    expect(await pollsOfAcme()).toMatchObject([{ kind: 'csat', via: 'gmail', email: 'jane@acme.com', status: 'sent', askedBy: people.ana.id, sentAt: '2026-12-02T17:00:00.000Z', expiresAt: '2027-01-01T17:00:00.000Z' }]);
    // The minute job never sends it a second time.
    guanxi.clock.advance(10 * 60_000);
    await guanxi.server.scheduler.run('polls');
    expect(guanxi.gmail.sent(ana)).toHaveLength(1);
  });

  it('a click records one answer per recipient, a later click changes it, and the card shows CSAT and the comment', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'poll jane@acme.com');
    const links = answerLinks(guanxi, guanxi.gmail.sent(ana)[0]!.text!);

    // The link itself records nothing: a mail scanner fetching it changes nothing.
    const opened = await fetch(links[2]!);
    expect(opened.status).toBe(200);
    const page = await opened.text();
    expect(page).toContain('<form id="answer" method="post"');
    expect(page).toContain('Send my answer: 3');
    expect((await pollsOfAcme())[0]!.answers).toEqual([]);

    const token = new URL(links[2]!).pathname;
    const answered = await postForm(`${guanxi.url}${token}`, { score: '3' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe(`${token}/thanks`);
    guanxi.clock.advance(60_000);
    await postForm(`${guanxi.url}${token}`, { score: '5' });
    const thanks = await (await fetch(`${guanxi.url}${token}/thanks`)).text();
    expect(thanks).toContain('Your answer, <strong>5</strong> out of 5, is recorded.');
    const tooLong = await postForm(`${guanxi.url}${token}/comment`, { comment: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('Your comment is 2001 characters long; please keep it to 2000.');
    expect((await pollsOfAcme())[0]!.answers[0]!.comment).toBeNull();
    const commented = await postForm(`${guanxi.url}${token}/comment`, { comment: 'Quick answers, every time.' });
    expect(commented.headers.get('location')).toBe(`${token}/thanks?commented=1`);

    expect((await pollsOfAcme())[0]!.answers).toEqual([
      { respondent: 'jane@acme.com', score: 5, comment: 'Quick answers, every time.', answeredAt: '2026-12-02T17:00:00.000Z', updatedAt: '2026-12-02T17:01:00.000Z' },
    ]);
    const shown = await card();
    expect(shown).toContain('CSAT 100%: 1 of 1 answers were 4 or 5 (on 1 to 5).');
    expect(shown).toContain('“Quick answers, every time.” (CSAT 5, jane@acme.com');
  });

  it('forged, expired and off-scale answers get a clear page with the right status, and change nothing', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'poll jane@acme.com');
    const token = new URL(answerLinks(guanxi, guanxi.gmail.sent(ana)[0]!.text!)[0]!).pathname;
    const [body, signature] = token.slice('/p/'.length).split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, r: 'mallory@evil.example' })).toString('base64url');

    const forged = await postForm(`${guanxi.url}/p/${forgedBody}.${signature}`, { score: '1' });
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain('This poll link does not work');
    expect((await fetch(`${guanxi.url}/p/garbage?score=1`)).status).toBe(404);

    const offScale = await fetch(`${guanxi.url}${token}?score=9`);
    expect(offScale.status).toBe(400);
    expect(await offScale.text()).toContain('&quot;9&quot; is not a score here: scores go from 1 to 5. Nothing was recorded');
    expect((await postForm(`${guanxi.url}${token}`, { score: '0' })).status).toBe(400);
    expect((await postForm(`${guanxi.url}${token}`, { score: 'five' })).status).toBe(400);

    guanxi.clock.set('2027-01-01T17:00:00Z');
    const expired = await postForm(`${guanxi.url}${token}`, { score: '4' });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This poll has closed');
    expect((await fetch(`${guanxi.url}${token}?score=4`)).status).toBe(410);

    expect((await pollsOfAcme())[0]!.answers).toEqual([]);
  });

  it('the link of a person since forgotten records nothing, and does not bring their address back', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'poll jane@acme.com');
    const token = new URL(answerLinks(guanxi, guanxi.gmail.sent(ana)[0]!.text!)[0]!).pathname;
    await postForm(`${guanxi.url}${token}`, { score: '4' });
    expect(await guanxi.crmText(people.ana.id, 'forget jane@acme.com')).toContain('took it off 1 poll');

    const again = await postForm(`${guanxi.url}${token}`, { score: '1' });
    expect(again.status).toBe(404);
    expect((await fetch(`${guanxi.url}${token}?score=1`)).status).toBe(404);
    expect((await pollsOfAcme())[0]!.answers).toEqual([{ respondent: '(forgotten)', score: 4, comment: null, answeredAt: '2026-12-02T17:00:00.000Z', updatedAt: '2026-12-02T17:00:00.000Z' }]);
  });

  it('a detractor\'s answer DMs the customer\'s owner at once, with the score, the comment and the way to the card', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, `assign acme <@${people.bo.id}|bo>`);
    await guanxi.crm(people.ana.id, 'poll jane@acme.com nps');
    const links = answerLinks(guanxi, guanxi.gmail.sent(ana)[0]!.text!);
    expect(links).toHaveLength(11);
    const token = new URL(links[0]!).pathname;
    const dmsToBo = () => guanxi.slack.postsTo(people.bo.id);

    await postForm(`${guanxi.url}${token}`, { score: '9' });
    expect(dmsToBo()).toEqual([]);
    await postForm(`${guanxi.url}${token}`, { score: '3' });
    const [alert] = dmsToBo();
    // The text is mrkdwn, as Slack reads it: an address in <> is escaped, not taken for markup.
    expect(alert!.args['text']).toContain('*Acme Corp*: Jane Doe &lt;jane@acme.com&gt; answered *3* out of 10 to the NPS poll');
    expect(alert!.args['text']).toContain("That is a detractor's answer (NPS 0 to 6)");
    expect(JSON.stringify(alert!.args['blocks'])).toContain('view_customer');

    // The customer's words are shown as typed: their <!channel> notifies nobody, in the text or the blocks.
    await postForm(`${guanxi.url}${token}/comment`, { comment: '<!channel> The invoices are always wrong & late.' });
    expect(dmsToBo()).toHaveLength(2);
    const comment = dmsToBo()[1]!.args;
    expect(comment['text']).toContain('Their comment: “&lt;!channel&gt; The invoices are always wrong &amp; late.”');
    expect(JSON.stringify(comment)).not.toContain('<!channel>');
    expect(readBlocks(comment['blocks'])).toContain('Their comment: “<!channel> The invoices are always wrong & late.”');
    expect(await card()).toContain('NPS -100: 0 promoters (9–10) minus 1 detractor (0–6), of 1 answers.');
  });

  it('waits for the contact\'s preferred hours: stored as scheduled, sent by the minute job when they begin', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'prefer jane@acme.com 9-17 Europe/Paris');

    // 17:00 UTC is 18:00 in Paris: after hours.
    const reply = await guanxi.crmText(people.ana.id, 'poll jane@acme.com');

    expect(reply).toContain('Jane Doe <jane@acme.com> prefers to be contacted 09:00–17:00 (Europe/Paris), so a CSAT poll goes from your Gmail ana@ourteam.io at Thu 3 Dec, 00:00 your time (Thu 3 Dec, 09:00 theirs)');
    expect(guanxi.gmail.sent(ana)).toEqual([]);
    expect(await pollsOfAcme()).toMatchObject([{ status: 'scheduled', sendAt: '2026-12-03T08:00:00.000Z' }]);

    guanxi.clock.set('2026-12-03T07:59:00Z');
    await guanxi.server.scheduler.run('polls');
    expect(guanxi.gmail.sent(ana)).toEqual([]);
    guanxi.clock.set('2026-12-03T08:00:00Z');
    await guanxi.server.scheduler.run('polls');
    expect(guanxi.gmail.sent(ana)).toHaveLength(1);
    expect(await pollsOfAcme()).toMatchObject([{ status: 'sent', sentAt: '2026-12-03T08:00:00.000Z' }]);
    await guanxi.server.scheduler.run('polls');
    expect(guanxi.gmail.sent(ana)).toHaveLength(1);
  });

  it('a poll Gmail cannot take just now is tried again a few minutes later, and sent once', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.failNext('users.messages.send', { status: 503 });

    const reply = await guanxi.crmText(people.ana.id, 'poll jane@acme.com');

    expect(reply).toBe('The poll could not be sent just now: Gmail answered 503; trying again shortly. It goes again in 5 minutes; nothing to do.');
    expect(await pollsOfAcme()).toMatchObject([{ status: 'scheduled', sendAt: '2026-12-02T17:05:00.000Z' }]);
    guanxi.clock.set('2026-12-02T17:05:00Z');
    await guanxi.server.scheduler.run('polls');
    await guanxi.server.scheduler.run('polls');
    expect(guanxi.gmail.sent(ana)).toHaveLength(1);
    expect(await pollsOfAcme()).toMatchObject([{ status: 'sent', error: null }]);
  });

  it('a scheduled poll to a contact who opted out meanwhile is not sent, and the asker is told why', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'prefer jane@acme.com 9-17 Europe/Paris');
    await guanxi.crm(people.ana.id, 'poll jane@acme.com');
    await guanxi.crm(people.ana.id, 'optout jane@acme.com');

    guanxi.clock.set('2026-12-03T08:00:00Z');
    await guanxi.server.scheduler.run('polls');

    expect(guanxi.gmail.sent(ana)).toEqual([]);
    expect(await pollsOfAcme()).toMatchObject([{ status: 'failed', error: 'jane@acme.com opted out of being contacted since it was asked.' }]);
    const told = guanxi.slack.postsTo(people.ana.id).filter((call) => String(call.args['text']).startsWith('Your scheduled poll'));
    expect(told.map((call) => call.args['text'])).toEqual(['Your scheduled poll to jane@acme.com was not sent: jane@acme.com opted out of being contacted since it was asked.']);
  });

  it('refuses an opted-out contact with the reason, and sends nothing', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'optout jane@acme.com');

    const reply = await guanxi.crmText(people.ana.id, 'poll jane@acme.com');

    expect(reply).toBe('Jane Doe <jane@acme.com> opted out of being contacted (recorded Wed 2 Dec, 09:00 by Ana Lima), so no poll goes to them. If they ask to hear from us again: /crm optin jane@acme.com');
    expect(guanxi.gmail.sent(ana)).toEqual([]);
    expect(await pollsOfAcme()).toEqual([]);
  });

  it('says how to connect a mailbox when none is, and to reconnect when the mailbox was connected without permission to send', async () => {
    expect(await guanxi.crmText(people.ana.id, 'poll jane@acme.com')).toContain('you have none connected. Connect it with /crm connect gmail or /crm connect outlook, then ask again.');
    expect(await pollsOfAcme()).toEqual([]);

    await guanxi.connectGmail(people.ana.id, ana, { grantOnly: ['https://www.googleapis.com/auth/gmail.metadata'] });
    const reply = await guanxi.crmText(people.ana.id, 'poll jane@acme.com');

    expect(reply).toBe('The CSAT poll was not sent: Google does not let guanxi send mail from ana@ourteam.io: it was connected before guanxi asked for permission to send. Reconnect with /crm connect gmail, then ask for the poll again.');
    // google-auth-library asks once more with a fresh token after a 403: both are refused.
    expect(guanxi.gmail.callsTo('users.messages.send').map((call) => call.status)).toEqual([403, 403]);
    expect(guanxi.gmail.sent(ana)).toEqual([]);
  });

  it('polls a customer\'s only contact, and asks which one when it has several', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    expect(await guanxi.crmText(people.ana.id, 'poll acme corp nps')).toContain('An NPS poll went to Jane Doe <jane@acme.com>');

    await guanxi.crm(people.ana.id, 'add contact kim@acme.com Kim acme.com');
    const reply = await guanxi.crmText(people.ana.id, 'poll acme');
    expect(reply).toBe('*Acme Corp* has 2 contacts: Jane Doe <jane@acme.com>; Kim <kim@acme.com>. Poll one by address, e.g. /crm poll jane@acme.com');
    expect(guanxi.gmail.sent(ana)).toHaveLength(1);
  });
});
