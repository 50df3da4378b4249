import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { graphError } from '../../support/graph/graph-errors.ts';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { expectAdminToldOnce } from '../mail-refused.ts';

const chloe = 'chloe@ourteam.io';
const ana = 'ana@ourteam.io';

describe('Outlook', () => {
  let guanxi: Guanxi;
  let acme: Customer;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { outlook: true, gmail: true });
    guanxi.graph.addMailbox(chloe, { displayName: 'Chloé Martin' });
    await guanxi.crm(people.chloe.id, 'add customer "Acme Corp" acme.com');
    acme = (await guanxi.server.core.store.customers.byName('Acme Corp'))[0]!;
  });
  afterEach(() => guanxi.stop());

  const store = () => guanxi.server.core.store;
  const acmeTimeline = () => store().interactions.byCustomer(acme.id, 500);
  const fromJane = (subject: string, extra: Record<string, unknown> = {}) => ({
    from: { emailAddress: { name: 'Jane Doe', address: 'jane@acme.com' } },
    toRecipients: [{ emailAddress: { name: 'Chloé Martin', address: chloe } }],
    subject,
    ...extra,
  });
  const daysAgo = (days: number) => new Date(Date.parse('2026-12-02T17:00:00Z') - days * 86_400_000);

  it('a rep connects Outlook: received and sent mail of the window is logged, a subscription is made, progress is shown', async () => {
    guanxi.graph.deliver(chloe, { ...fromJane('Renewal terms'), receivedDateTime: daysAgo(2) });
    guanxi.graph.deliver(chloe, { from: chloe, toRecipients: ['jane@acme.com'], subject: 'Re: Renewal terms', receivedDateTime: daysAgo(1) }, { folder: 'sentitems' });
    guanxi.graph.deliver(chloe, { ...fromJane('Too old'), receivedDateTime: daysAgo(40) });

    const { status, page } = await guanxi.connectOutlook(people.chloe.id, chloe);

    expect(status).toBe(200);
    expect(page).toContain('guanxi now logs the customer mail of chloe@ourteam.io');
    expect((await acmeTimeline()).map((i) => [i.summary, i.direction])).toEqual([
      ['Re: Renewal terms', 'outbound'],
      ['Renewal terms', 'inbound'],
    ]);
    const [subscription] = guanxi.graph.subscriptions(chloe);
    expect(subscription).toMatchObject({ changeType: 'created', lifecycleNotificationUrl: expect.stringMatching(/\/webhooks\/outlook\/lifecycle$/) });
    expect(Date.parse(subscription!.expirationDateTime) - guanxi.clock.now().getTime()).toBeLessThanOrEqual(4_230 * 60_000);
    expect(guanxi.graph.handshakes.every((h) => h.ok)).toBe(true);
    const updates = guanxi.slack.callsTo('chat.update').map((call) => String(call.args['text']));
    expect(updates.at(-1)).toContain('Done reading the last 30 days of Outlook chloe@ourteam.io: 2 messages read, 2 logged');
  });

  it('answers the validation handshake with the decoded token as plain text', async () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 7f3e';
    const response = await fetch(`${guanxi.url}/webhooks/outlook?validationToken=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(token);
  });

  it('a notification logs the new mail once, even delivered twice; a forged clientState or a malformed body is refused and changes nothing', async () => {
    await guanxi.connectOutlook(people.chloe.id, chloe);
    guanxi.graph.deliver(chloe, fromJane('Can we talk Tuesday?'));

    const forged = await guanxi.graph.notify(chloe, { clientState: 'not-the-right-state' });
    await guanxi.server.core.mail!.idle();
    expect(forged.map((d) => d.status)).toEqual([401]);
    expect(await acmeTimeline()).toEqual([]);

    guanxi.graph.deliver(chloe, fromJane('Following up'));
    const delivered = await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();
    expect(delivered.map((d) => d.status)).toEqual([202]);
    expect(delivered[0]!.ms).toBeLessThan(3000);
    const again = await fetch(delivered[0]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivered[0]!.body) });
    await guanxi.server.core.mail!.idle();
    expect(again.status).toBe(202);
    expect((await acmeTimeline()).map((i) => i.summary).sort()).toEqual(['Can we talk Tuesday?', 'Following up']);

    const malformed = await fetch(delivered[0]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: 'nope' }) });
    expect(malformed.status).toBe(400);
  });

  it('handles each lifecycle event: renews on reauthorizationRequired, recreates on subscriptionRemoved, catches up on missed', async () => {
    await guanxi.connectOutlook(people.chloe.id, chloe);
    const [first] = guanxi.graph.subscriptions(chloe);

    expect((await guanxi.graph.lifecycle(chloe, 'reauthorizationRequired')).map((d) => d.status)).toEqual([202]);
    await guanxi.server.core.mail!.idle();
    expect(guanxi.graph.callsTo('subscriptions.update')).toHaveLength(1);

    guanxi.graph.deliver(chloe, fromJane('Sent while we were not listening'));
    await guanxi.graph.lifecycle(chloe, 'missed');
    await guanxi.server.core.mail!.idle();
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Sent while we were not listening']);

    await guanxi.graph.lifecycle(chloe, 'subscriptionRemoved');
    await guanxi.server.core.mail!.idle();
    const [second] = guanxi.graph.subscriptions(chloe);
    expect(second?.id).toBeDefined();
    expect(second!.id).not.toBe(first!.id);
    const [mailbox] = await store().mailboxes.byMember(people.chloe.id);
    expect(mailbox!.subscriptionId).toBe(second!.id);
  });

  it('renews the subscription before it lapses, with the clock, by the daily job', async () => {
    await guanxi.connectOutlook(people.chloe.id, chloe);
    const before = guanxi.graph.subscriptions(chloe)[0]!.expirationDateTime;
    guanxi.clock.advance(24 * 3_600_000);
    await guanxi.server.scheduler.run('mail-watch');
    const after = guanxi.graph.subscriptions(chloe)[0]!.expirationDateTime;
    expect(Date.parse(after) - Date.parse(before)).toBe(24 * 3_600_000);
  });

  it('loses nothing when reading fails after Graph was answered: the next catch-up logs it', async () => {
    await guanxi.connectOutlook(people.chloe.id, chloe);
    guanxi.graph.deliver(chloe, fromJane('Survives a failure'));
    for (let i = 0; i < 8; i++) guanxi.graph.failNext('messages.delta', { status: 503 });
    await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();
    expect(await acmeTimeline()).toEqual([]);

    await guanxi.server.scheduler.run('mail-watch');
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Survives a failure']);
  });

  it('does not store internal-only, blocklisted or bulk mail', async () => {
    await guanxi.connectOutlook(people.chloe.id, chloe);
    await guanxi.crm(people.chloe.id, 'block jane@acme.com');
    guanxi.graph.deliver(chloe, { ...fromJane('Lunch?'), from: { emailAddress: { name: 'Ana', address: ana } } });
    guanxi.graph.deliver(chloe, fromJane('Blocked sender'));
    guanxi.graph.deliver(chloe, { ...fromJane('Newsletter'), from: { emailAddress: { name: 'Acme News', address: 'news@acme.com' } }, internetMessageHeaders: [{ name: 'List-Unsubscribe', value: '<https://acme.com/u>' }] });
    guanxi.graph.deliver(chloe, { ...fromJane('Counts'), from: { emailAddress: { name: 'Kim', address: 'kim@acme.com' } } });
    await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Counts']);
  });

  it('the same mail seen by a Gmail rep and an Outlook rep is one interaction', async () => {
    guanxi.gmail.addMailbox(ana);
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.connectOutlook(people.chloe.id, chloe);
    const messageId = '<shared-7@mail.acme.com>';
    guanxi.gmail.deliver(ana, { headers: { From: 'Jane Doe <jane@acme.com>', To: `${ana}, ${chloe}`, Subject: 'To both of you', 'Message-ID': messageId } });
    guanxi.graph.deliver(chloe, { ...fromJane('To both of you'), toRecipients: [ana, chloe], internetMessageId: messageId });

    await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) });
    await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();

    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['To both of you']);
  });

  it('honours Retry-After when throttled, reads again when the delta expired, and tells the rep once when the grant is withdrawn', async () => {
    await guanxi.connectOutlook(people.chloe.id, chloe);
    guanxi.graph.deliver(chloe, fromJane('Throttled at first'));
    guanxi.graph.failNext('messages.delta', { status: 429, retryAfter: 7 });
    await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();
    expect(guanxi.clock.slept).toContain(7_000);
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Throttled at first']);

    guanxi.graph.expireDelta(chloe);
    guanxi.graph.deliver(chloe, fromJane('After the delta expired'));
    await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();
    expect((await acmeTimeline()).map((i) => i.summary)).toContain('After the delta expired');

    guanxi.graph.revoke(chloe);
    guanxi.graph.deliver(chloe, fromJane('Not read'));
    await guanxi.graph.notify(chloe);
    await guanxi.graph.lifecycle(chloe, 'missed');
    await guanxi.server.core.mail!.idle();
    const warnings = guanxi.slack.callsTo('chat.postMessage').filter((call) => String(call.args['text']).includes('can no longer read your Outlook'));
    expect(warnings).toHaveLength(1);
    expect(await guanxi.crmText(people.chloe.id, 'mail')).toContain('Microsoft no longer accepts guanxi');
    expect(readBlocks((await guanxi.crm(people.chloe.id, 'find acme')).reply.body['blocks'])).not.toContain('Not read');
  });

  it('says PUBLIC_URL is to fix when Microsoft cannot reach guanxi to validate the subscription, and keeps nothing', async () => {
    const refused = 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.';
    guanxi.graph.failNext('subscriptions.create', { status: 400, body: graphError('InvalidRequest', refused, guanxi.clock.now()) });
    const { status, page } = await guanxi.connectOutlook(people.chloe.id, chloe);
    expect(status).toBe(400);
    expect(page).toContain(`Microsoft could not reach guanxi at ${guanxi.url}/webhooks/outlook (${refused}) An admin sets PUBLIC_URL`);
    expect(await store().mailboxes.byMember(people.chloe.id)).toEqual([]);
  });

  it('tells the admins once that the app registration is theirs to fix when its client secret expired, says so in /crm mail and at sign-in, and asks no rep to sign in again', async () => {
    await guanxi.connectOutlook(people.chloe.id, chloe);
    const refused = 'Microsoft refused guanxi\'s app registration (MS_CLIENT_ID and MS_CLIENT_SECRET, AADSTS7000215): its client secret is wrong or has expired, or the app is gone.';
    guanxi.graph.changeClientSecret();
    guanxi.graph.deliver(chloe, fromJane('After the secret expired'));
    await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();
    guanxi.graph.deliver(chloe, fromJane('And again'));
    await guanxi.graph.notify(chloe);
    await guanxi.server.core.mail!.idle();

    // Chloé, the admin, is told once, however many syncs fail.
    await expectAdminToldOnce(guanxi, people.chloe.id, 'Outlook', refused);
    guanxi.graph.addMailbox(ana, { displayName: 'Ana Lima' });
    expect((await guanxi.connectOutlook(people.ana.id, ana)).page).toContain(refused);
  });

  it('tells a rep whose mailbox is on an on-premises Exchange server that guanxi cannot read it, and keeps nothing', async () => {
    guanxi.graph.addMailbox(ana, { displayName: 'Ana Lima', onPremises: true });
    const { status, page } = await guanxi.connectOutlook(people.ana.id, ana);
    expect(status).toBe(400);
    expect(page).toContain('Microsoft 365 cannot reach this mailbox: it is inactive, or kept on an on-premises Exchange server, which guanxi cannot read.');
    expect(await store().mailboxes.byMember(people.ana.id)).toEqual([]);
    expect(await guanxi.crmText(people.ana.id, 'mail')).not.toContain(ana);
  });

  it("lets an admin connect a colleague's mailbox with the app's own access, and nobody else", async () => {
    guanxi.graph.addMailbox(ana, { displayName: 'Ana Lima' });
    guanxi.graph.deliver(ana, { ...fromJane('Sent to Ana'), toRecipients: [{ emailAddress: { address: ana } }], receivedDateTime: daysAgo(1) });
    await guanxi.crm(people.ana.id, 'help');

    expect(await guanxi.crmText(people.ana.id, `connect outlook ${ana}`)).toContain('Only an admin can connect someone else');
    expect(await guanxi.crmText(people.chloe.id, `connect outlook ${ana}`)).toContain(`Connected ${ana} with guanxi's own access`);
    await guanxi.server.core.mail!.idle();

    const [mailbox] = await store().mailboxes.byMember(people.ana.id);
    expect(mailbox).toMatchObject({ address: ana, status: 'active' });
    expect(guanxi.graph.callsTo('identity.token').some((call) => call.body['grant_type'] === 'client_credentials')).toBe(true);
    expect(guanxi.graph.subscriptions(ana)[0]!.resource).toBe(`users/${encodeURIComponent(ana)}/messages`);
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Sent to Ana']);
  });
});

describe("an admin connecting a colleague's Outlook with the app's own access", () => {
  let guanxi: Guanxi;
  afterEach(() => guanxi.stop());

  /** guanxi with a Graph whose app registration holds `roles`, Ana's mailbox in it, and Chloé (the first to use guanxi) its admin. */
  async function withAppRoles(roles: string[]): Promise<void> {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { outlook: true, graphAppRoles: roles });
    guanxi.graph.addMailbox(ana, { displayName: 'Ana Lima' });
    await guanxi.crm(people.chloe.id, 'help');
  }

  it('is told which address Microsoft does not know, and nothing is kept', async () => {
    await withAppRoles(['Mail.Read', 'User.Read.All']);
    expect(await guanxi.crmText(people.chloe.id, 'connect outlook nobody@ourteam.io')).toBe(
      'Microsoft knows no one in your organisation as nobody@ourteam.io. Check the address (a person\'s main address or user name), then try again.',
    );
    expect(await guanxi.server.core.store.mailboxes.byMember(people.chloe.id)).toEqual([]);
  });

  it('is told which permission the app registration lacks, to look people up or to read their mail, and nothing is kept', async () => {
    await withAppRoles(['Mail.Read']);
    expect(await guanxi.crmText(people.chloe.id, `connect outlook ${ana}`)).toContain(
      `Microsoft does not let guanxi look up ${ana} with its own access. In the Microsoft Entra admin center, give the app registration the application permissions User.Read.All, Mail.Read and Mail.Send, and grant admin consent`,
    );
    await guanxi.stop();

    await withAppRoles(['User.Read.All']);
    expect(await guanxi.crmText(people.chloe.id, `connect outlook ${ana}`)).toContain(
      `Microsoft does not let guanxi read the mail of ${ana} with its own access. In the Microsoft Entra admin center, give the app registration the application permission Mail.Read`,
    );
    await guanxi.server.core.mail!.idle();
    expect(await guanxi.server.core.store.mailboxes.byMember(people.chloe.id)).toEqual([]);
    expect(guanxi.graph.subscriptions(ana)).toEqual([]);
  });
});
