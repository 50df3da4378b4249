import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { buttons, Guanxi, people, pubsubTopic, readBlocks, webhookSecret } from '../../support/guanxi.ts';
import { mailServiceNotEnabled, pubsubNotAuthorized, topicOfAnotherProject } from '../../support/gmail/google-errors.ts';
import { blockActionPayload } from '../../support/slack-requests.ts';
import { expectAdminToldOnce } from '../mail-refused.ts';

const ana = 'ana@ourteam.io';
const bo = 'bo@ourteam.io';

describe('Gmail', () => {
  let guanxi: Guanxi;
  let acme: Customer;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { gmail: true });
    guanxi.gmail.addMailbox(ana);
    guanxi.gmail.addMailbox(bo);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add customer Globex globex.com');
    acme = (await guanxi.server.core.store.customers.byName('Acme Corp'))[0]!;
  });
  afterEach(() => guanxi.stop());

  const store = () => guanxi.server.core.store;
  const acmeTimeline = async () => store().interactions.byCustomer(acme.id, 500);
  const mailFrom = (from: string, subject: string, extra: Record<string, string> = {}) => ({
    headers: { From: from, To: `Ana Lima <${ana}>`, Subject: subject, ...extra },
  });
  const atDaysAgo = (days: number) => Date.parse('2026-12-02T17:00:00Z') - days * 86_400_000;

  it('a rep connects Gmail: the last 30 days are logged to the right customers, with progress shown in one updated message', async () => {
    guanxi.gmail.deliver(ana, { ...mailFrom('Jane Doe <jane@acme.com>', 'Pricing for 40 seats'), internalDate: atDaysAgo(3) });
    guanxi.gmail.deliver(ana, { ...mailFrom('Kim <kim@globex.com>', 'Contract draft'), internalDate: atDaysAgo(10) });
    guanxi.gmail.deliver(ana, { ...mailFrom('Old Friend <old@acme.com>', 'From long ago'), internalDate: atDaysAgo(45) });
    for (let i = 0; i < 130; i++) guanxi.gmail.deliver(ana, { ...mailFrom(`Jane Doe <jane@acme.com>`, `Follow-up ${i}`), internalDate: atDaysAgo(2) });

    const { status, page } = await guanxi.connectGmail(people.ana.id, ana);

    expect(status).toBe(200);
    expect(page).toContain('guanxi now logs the customer mail of ana@ourteam.io');
    const subjects = (await acmeTimeline()).map((i) => i.summary);
    expect(subjects).toContain('Pricing for 40 seats');
    expect(subjects).not.toContain('From long ago');
    expect(subjects).toHaveLength(131);
    const [globex] = await store().customers.byName('Globex');
    expect((await store().interactions.byCustomer(globex!.id, 10)).map((i) => i.summary)).toEqual(['Contract draft']);

    const progress = guanxi.slack.callsTo('chat.postMessage').find((call) => String(call.args['text']).startsWith('Reading the last 30 days'));
    expect(progress).toBeDefined();
    const updates = guanxi.slack.callsTo('chat.update').filter((call) => call.args['ts'] === progress!.response['ts']);
    expect(updates.at(-1)!.args['text']).toContain('Done reading the last 30 days of Gmail ana@ourteam.io: 132 messages read, 132 logged');
    expect(guanxi.gmail.watchOf(ana)).toMatchObject({ topicName: 'projects/guanxi-test/topics/gmail-push' });
    expect(guanxi.gmail.calls.some((call) => call.method === 'users.messages.get' && call.params['format'] !== 'metadata')).toBe(false);
  });

  it('a push for new mail logs it; the same push twice, and the same mail in two reps\' mailboxes, give one interaction', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.connectGmail(people.bo.id, bo);
    const shared = { headers: { From: 'Jane Doe <jane@acme.com>', To: `${ana}, ${bo}`, Subject: 'Both of you', 'Message-ID': '<both-1@mail.acme.com>' } };
    guanxi.gmail.deliver(ana, shared);
    guanxi.gmail.deliver(bo, shared);

    const first = await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) });
    const again = await guanxi.push({ emailAddress: ana, historyId: guanxi.gmail.historyId(ana), historyIdAs: 'string' });
    const fromBo = await guanxi.push({ emailAddress: bo, historyId: Number(guanxi.gmail.historyId(bo)) });

    expect([first.status, again.status, fromBo.status]).toEqual([204, 204, 204]);
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Both of you']);
    const card = readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks']);
    expect(card).toContain('email received by Ana Lima: Both of you');
    expect(card).toContain("(their domain; int_");
  });

  it('does not store internal-only, blocklisted or bulk mail', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'block @globex.com');
    guanxi.gmail.deliver(ana, mailFrom(`Bo Chen <${bo}>`, 'Lunch?'));
    guanxi.gmail.deliver(ana, mailFrom('Kim <kim@globex.com>', 'Blocked'));
    guanxi.gmail.deliver(ana, mailFrom('Acme News <news@acme.com>', 'Our newsletter', { 'List-Unsubscribe': '<https://acme.com/unsubscribe>' }));
    guanxi.gmail.deliver(ana, mailFrom('Jane Doe <jane@acme.com>', 'The one that counts'));

    expect((await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) })).status).toBe(204);

    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['The one that counts']);
    const [globex] = await store().customers.byName('Globex');
    expect(await store().interactions.byCustomer(globex!.id, 10)).toEqual([]);
  });

  it('says Outlook is not set up here, and what an admin sets, when Gmail alone is', async () => {
    const notSetUp = 'Outlook is not set up on this guanxi yet. An admin sets MS_CLIENT_ID, MS_CLIENT_SECRET and MS_TENANT_ID (README, "Connect Outlook").';
    expect(await guanxi.crmText(people.ana.id, 'connect outlook')).toBe(notSetUp);
    expect(await guanxi.crmText(people.ana.id, `connect outlook ${bo}`)).toBe(notSetUp);
  });

  it('tells a rep who unticked the permission to read headers how to connect again, and keeps nothing', async () => {
    const { status, page } = await guanxi.connectGmail(people.ana.id, ana, { grantOnly: ['https://www.googleapis.com/auth/gmail.send'] });
    expect(status).toBe(400);
    expect(page).toContain("Google did not let guanxi read your mail's headers: the permission to view your email message metadata was left unticked.");
    expect(page).toContain('Type /crm connect gmail in Slack to sign in again, and keep it ticked.');
    expect(await store().mailboxes.byMember(people.ana.id)).toEqual([]);
  });

  it('tells a rep who signed in with a Google account without Gmail to use the account of their work mail, and keeps nothing', async () => {
    guanxi.gmail.failNext('users.getProfile', { status: 400, body: mailServiceNotEnabled() });
    const { status, page } = await guanxi.connectGmail(people.ana.id, ana);
    expect(status).toBe(400);
    expect(page).toContain('Google says this account has no Gmail (Mail service not enabled). Type /crm connect gmail in Slack and sign in with the Google account of your work mail.');
    expect(await store().mailboxes.byMember(people.ana.id)).toEqual([]);
  });

  it('says what an admin fixes when Gmail may not publish to the Pub/Sub topic, and keeps nothing', async () => {
    // Twice: google-auth-library tries a 403 once more with a fresh token, and Gmail refuses again.
    guanxi.gmail.failNext('users.watch', { status: 403, body: pubsubNotAuthorized(pubsubTopic) });
    guanxi.gmail.failNext('users.watch', { status: 403, body: pubsubNotAuthorized(pubsubTopic) });
    const unauthorized = await guanxi.connectGmail(people.ana.id, ana);
    expect(unauthorized.status).toBe(400);
    expect(unauthorized.page).toContain(`Gmail may not publish to ${pubsubTopic}, the topic in GOOGLE_PUBSUB_TOPIC. An admin gives gmail-api-push@system.gserviceaccount.com the Pub/Sub Publisher role on it in Google Cloud`);

    guanxi.gmail.failNext('users.watch', { status: 400, body: topicOfAnotherProject() });
    const elsewhere = await guanxi.connectGmail(people.ana.id, ana);
    expect(elsewhere.page).toContain('it must be a topic of the Google Cloud project that holds the OAuth client of GOOGLE_CLIENT_ID');
    expect(await store().mailboxes.byMember(people.ana.id)).toEqual([]);
  });

  it('tells the admins once that the OAuth client is theirs to fix when Google refuses it, says so in /crm mail and at sign-in, and asks no rep to sign in again', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    const refused = 'Google refused guanxi\'s OAuth client (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET): its secret was reset, or the client was deleted.';
    guanxi.gmail.changeClientSecret();
    guanxi.gmail.deliver(ana, mailFrom('Jane Doe <jane@acme.com>', 'After the reset'));
    const push = await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) });
    expect(push.acked).toBe(false);
    await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) });

    // Ana, the admin, is told once, however many syncs fail.
    await expectAdminToldOnce(guanxi, people.ana.id, 'Gmail', refused);
    expect((await guanxi.connectGmail(people.bo.id, bo)).page).toContain(refused);
  });

  it('answers a sign-in that fails on our side, or a push it cannot read, with a plain page: no stack trace', async () => {
    await guanxi.crm(people.ana.id, 'help');
    guanxi.gmail.failNext('users.getProfile', { status: 400, reason: 'invalidArgument' });
    const failed = await guanxi.connectGmail(people.ana.id, ana);
    expect(failed.status).toBe(500);
    expect(failed.page).toContain('guanxi could not finish this, and the failure has been logged.');
    expect(failed.page).not.toMatch(/\bat \S+ \(|node_modules/);
    expect(guanxi.log.lines.some((line) => line.startsWith('error GET /oauth/google/callback failed'))).toBe(true);

    const unreadable = await fetch(`${guanxi.url}/webhooks/gmail?token=${webhookSecret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":' });
    expect(unreadable.status).toBe(400);
    expect(await unreadable.text()).not.toMatch(/SyntaxError|node_modules/);
  });

  it('refuses a push without the secret or with a malformed body, and changes nothing', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.deliver(ana, mailFrom('Jane Doe <jane@acme.com>', 'Not yet'));
    const historyId = Number(guanxi.gmail.historyId(ana));

    const noSecret = await guanxi.push({ emailAddress: ana, historyId, url: `${guanxi.url}/webhooks/gmail` });
    const wrongSecret = await guanxi.push({ emailAddress: ana, historyId, url: `${guanxi.url}/webhooks/gmail?token=guess` });
    const malformed = await fetch(`${guanxi.url}/webhooks/gmail?token=${webhookSecret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: { data: Buffer.from('{"emailAddress":42}').toString('base64') }, subscription: 's' }) });

    expect([noSecret.status, wrongSecret.status, malformed.status]).toEqual([401, 401, 400]);
    // The log says what to check when every push is refused: the push subscription's URL.
    expect(guanxi.log.lines.filter((line) => line.startsWith('warn refused a push to /webhooks/gmail'))).toHaveLength(2);
    expect(guanxi.log.lines.find((line) => line.startsWith('warn refused a push'))).toContain(`set the Pub/Sub push subscription's endpoint to https://crm.ourteam.io/webhooks/gmail?token= and the value of WEBHOOK_SECRET`);
    expect(await acmeTimeline()).toEqual([]);
    expect(guanxi.gmail.callsTo('users.history.list')).toEqual([]);
  });

  it('accepts a push authenticated by a Google OIDC token for this endpoint, and refuses one for another audience', async () => {
    const { pubsubIdentity } = await import('../../support/pubsub-push.ts');
    const identity = pubsubIdentity({ keys: guanxi.gmail.signingKeys, audience: 'https://crm.ourteam.io/webhooks/gmail' });
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.deliver(ana, mailFrom('Jane Doe <jane@acme.com>', 'Signed push'));
    const url = `${guanxi.url}/webhooks/gmail`;
    const historyId = Number(guanxi.gmail.historyId(ana));

    const elsewhere = await guanxi.push({ emailAddress: ana, historyId, url, bearer: identity.signJwt({ aud: 'https://elsewhere.example/push' }) });
    const ours = await guanxi.push({ emailAddress: ana, historyId, url, bearer: identity.signJwt() });

    expect([elsewhere.status, ours.status]).toEqual([401, 204]);
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Signed push']);
  });

  it('loses nothing when fetching fails before the mail is stored: the push is answered 503, and its redelivery logs it', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.deliver(ana, mailFrom('Jane Doe <jane@acme.com>', 'Survives a failure'));
    for (let i = 0; i < 8; i++) guanxi.gmail.failNext('users.messages.get', { status: 503 });
    const historyId = Number(guanxi.gmail.historyId(ana));

    const failed = await guanxi.push({ emailAddress: ana, historyId });
    expect(failed.status).toBe(503);
    expect(await acmeTimeline()).toEqual([]);

    await guanxi.restart();
    const redelivered = await guanxi.push({ emailAddress: ana, historyId });
    expect(redelivered.status).toBe(204);
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['Survives a failure']);
  });

  it('stays within the per-user quota Gmail enforces, backing off as asked, and finishes the backfill', async () => {
    for (let i = 0; i < 150; i++) guanxi.gmail.deliver(ana, { ...mailFrom('Jane Doe <jane@acme.com>', `Mail ${i}`), internalDate: atDaysAgo(1) });
    guanxi.gmail.setQuota({ unitsPerMinute: 250 });

    await guanxi.connectGmail(people.ana.id, ana);

    expect(guanxi.gmail.quotaRefusals(ana)).toBeGreaterThan(0);
    expect(guanxi.clock.slept.length).toBeGreaterThan(0);
    expect(await acmeTimeline()).toHaveLength(150);
    expect(await guanxi.crmText(people.ana.id, 'mail')).not.toContain('Last error');
  });

  it('resumes a backfill that stopped where it stopped, after a restart', async () => {
    for (let i = 0; i < 250; i++) guanxi.gmail.deliver(ana, { ...mailFrom('Jane Doe <jane@acme.com>', `Mail ${i}`), internalDate: atDaysAgo(1) });
    // Once the first page is listed, the listing keeps failing: the backfill stops after that page.
    const connecting = guanxi.connectGmail(people.ana.id, ana);
    await guanxi.gmail.waitFor('users.messages.list');
    for (let i = 0; i < 8; i++) guanxi.gmail.failNext('users.messages.list', { status: 500 });
    await connecting;
    const [stopped] = await store().mailboxes.byMember(people.ana.id);
    expect(stopped!.backfill).toMatchObject({ status: 'running', scanned: 100 });

    await guanxi.restart();
    await guanxi.server.core.mail!.idle();

    expect(await acmeTimeline()).toHaveLength(250);
    const [done] = await store().mailboxes.byMember(people.ana.id);
    expect(done!.backfill).toMatchObject({ status: 'done', scanned: 250, logged: 250 });
  });

  it('reads the window again when Gmail no longer has the history guanxi left off at', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.deliver(ana, mailFrom('Jane Doe <jane@acme.com>', 'After the gap'));
    guanxi.gmail.expireHistoryBefore(ana);

    expect((await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) })).status).toBe(204);
    expect((await acmeTimeline()).map((i) => i.summary)).toEqual(['After the gap']);
  });

  it('a withdrawn grant marks the mailbox, tells the rep once with a link to reconnect, and /crm mail says so in words', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.revoke(ana);
    guanxi.gmail.deliver(ana, mailFrom('Jane Doe <jane@acme.com>', 'Unread by us'));
    const historyId = Number(guanxi.gmail.historyId(ana));

    expect((await guanxi.push({ emailAddress: ana, historyId })).status).toBe(204);
    expect((await guanxi.push({ emailAddress: ana, historyId })).status).toBe(204);

    const warnings = guanxi.slack.callsTo('chat.postMessage').filter((call) => String(call.args['text']).includes('can no longer read your Gmail'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.args['text'])).toMatch(/<https:\/\/accounts\.google\.com\/[^|]+\|sign in again>/);
    const status = await guanxi.crmText(people.ana.id, 'mail');
    expect(status).toContain('needs you to sign in again');
    expect(status).toContain('Google no longer accepts guanxi');
  });
});

describe('Gmail over days', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { gmail: true });
    guanxi.gmail.addMailbox(ana);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
  });
  afterEach(() => guanxi.stop());

  it('renews the watch every day, by the daily job, well before its seven days lapse', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    const [connected] = await guanxi.server.core.store.mailboxes.byMember(people.ana.id);
    expect(guanxi.gmail.callsTo('users.watch')).toHaveLength(1);

    guanxi.clock.advance(24 * 3_600_000);
    await guanxi.server.scheduler.run('mail-watch');

    expect(guanxi.gmail.callsTo('users.watch')).toHaveLength(2);
    const [renewed] = await guanxi.server.core.store.mailboxes.byMember(people.ana.id);
    expect(Date.parse(renewed!.watchExpiresAt!) - Date.parse(connected!.watchExpiresAt!)).toBe(24 * 3_600_000);
    expect(renewed!.cursor).toBe(connected!.cursor);
  });

  it('keeps a mail a rep unlinked off the timeline when Gmail announces it again', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.deliver(ana, { headers: { From: 'Jane <jane@acme.com>', To: ana, Subject: 'Personal, not Acme business' } });
    const historyId = Number(guanxi.gmail.historyId(ana));
    await guanxi.push({ emailAddress: ana, historyId });
    const [acme] = await guanxi.server.core.store.customers.byName('Acme Corp');
    const [wrong] = await guanxi.server.core.store.interactions.byCustomer(acme!.id, 5);

    expect(await guanxi.crmText(people.ana.id, `unlink ${wrong!.id} acme`)).toContain('Took "Personal, not Acme business" off *Acme Corp*');
    await guanxi.server.core.store.mailboxes.put({ ...(await guanxi.server.core.store.mailboxes.byAddress('gmail', ana))!, cursor: '1' });
    await guanxi.push({ emailAddress: ana, historyId });

    expect(await guanxi.server.core.store.interactions.byCustomer(acme!.id, 5)).toEqual([]);
    expect(readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks'])).not.toContain('Personal');
  });

  it('suggests a work domain seen in mail, which a rep makes a customer with one click, whose mail is then logged', async () => {
    await guanxi.connectGmail(people.ana.id, ana);
    guanxi.gmail.deliver(ana, { headers: { From: 'Lee <lee@initech.io>', To: ana, Subject: 'Intro call?' } });
    guanxi.gmail.deliver(ana, { headers: { From: 'Sam <sam@umbrella.io>', To: ana, Subject: 'Hello' } });
    await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) });

    const { reply } = await guanxi.crm(people.ana.id, 'suggestions');
    expect(readBlocks(reply.body['blocks'])).toContain('initech.io: 1 message');
    const accept = buttons(reply.body['blocks']).find((b) => b.text === 'Make it a customer' && b.value === 'initech.io')!;
    const responseUrl = guanxi.slack.responseUrl();
    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: accept.actionId, value: accept.value, responseUrl }));
    const answered = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(readBlocks(answered.body['blocks'])).toContain('Added customer Initech (initech.io)');
    expect(readBlocks(answered.body['blocks'])).not.toContain('initech.io: 1 message');
    expect(await guanxi.crmText(people.ana.id, 'suggestions dismiss umbrella.io')).toContain('Dismissed umbrella.io');
    expect(await guanxi.crmText(people.ana.id, 'suggestions')).toContain('No suggestions');

    guanxi.gmail.deliver(ana, { headers: { From: 'Lee <lee@initech.io>', To: ana, Subject: 'Following up' } });
    await guanxi.push({ emailAddress: ana, historyId: Number(guanxi.gmail.historyId(ana)) });
    const [initech] = await guanxi.server.core.store.customers.byName('Initech');
    expect((await guanxi.server.core.store.interactions.byCustomer(initech!.id, 5)).map((i) => i.summary)).toEqual(['Following up']);
  });
});
