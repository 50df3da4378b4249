import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttons, Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { blockActionPayload } from '../../support/slack-requests.ts';

describe('reminders', () => {
  let guanxi: Guanxi;
  // Wednesday 2 December 2026, 09:00 in Los Angeles, where Ana works.
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z');
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
  });
  afterEach(() => guanxi.stop());

  const dms = () => guanxi.slack.postsTo(people.ana.id);

  it('are delivered once, as a DM, at the time the rep meant in their own zone, and never again after a restart', async () => {
    expect(await guanxi.crmText(people.ana.id, 'remind acme fri 9am "send quote"')).toContain('Fri 4 Dec, 09:00');

    guanxi.clock.set('2026-12-04T16:59:00Z');
    await guanxi.server.scheduler.run('reminders');
    expect(dms()).toEqual([]);

    guanxi.clock.set('2026-12-04T17:00:00Z');
    await guanxi.server.scheduler.run('reminders');
    await guanxi.server.scheduler.run('reminders');
    expect(dms()).toHaveLength(1);
    expect(dms()[0]!.args['text']).toContain('Reminder for *Acme Corp*: send quote');
    expect(buttons(dms()[0]!.args['blocks']).map((b) => b.text)).toEqual(['Done', 'Snooze 1 hour', 'Tomorrow 9am']);

    await guanxi.restart();
    guanxi.clock.set('2026-12-04T17:05:00Z');
    await guanxi.server.scheduler.run('reminders');
    expect(dms()).toHaveLength(1);
  });

  it('say, before the rep reaches out, when the customer’s contacts like to be reached and who opted out', async () => {
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');
    await guanxi.crm(people.ana.id, 'prefer jane@acme.com 14-17:30 Europe/Paris');
    await guanxi.crm(people.ana.id, 'optout lee@acme.com');
    await guanxi.crm(people.ana.id, 'remind acme fri 9am "call about the renewal"');

    guanxi.clock.set('2026-12-04T17:00:00Z');
    await guanxi.server.scheduler.run('reminders');
    expect(dms()[0]!.args['text']).toBe(
      [
        'Reminder for *Acme Corp*: call about the renewal',
        'Before you reach out:',
        '  • Jane Doe prefers 14:00–17:30 Europe/Paris (05:00–08:30, your time)',
        '  • lee@acme.com asked not to be contacted unasked',
        `Card: /crm find Acme Corp · ${(await guanxi.server.core.store.reminders.openByOwner(people.ana.id))[0]!.id}`,
      ].join('\n'),
    );
  });

  it('that came due while the service was down are delivered when it is back', async () => {
    await guanxi.crm(people.ana.id, 'remind acme tomorrow 9am "call back"');
    await guanxi.server.stop();
    guanxi.clock.set('2026-12-03T20:00:00Z');
    await guanxi.restart().catch(() => undefined);
    await guanxi.server.scheduler.run('reminders');
    expect(dms().map((dm) => dm.args['text'])).toEqual([expect.stringContaining('call back')]);
  });

  it('Done closes the reminder and Snooze delivers it again at the new time', async () => {
    await guanxi.crm(people.ana.id, 'remind acme fri 9am "send quote"');
    await guanxi.crm(people.ana.id, 'remind acme fri 10am "book the demo"');
    guanxi.clock.set('2026-12-04T18:00:00Z');
    await guanxi.server.scheduler.run('reminders');
    const [quote, demo] = dms().map((dm) => buttons(dm.args['blocks']));

    const doneUrl = guanxi.slack.responseUrl();
    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: quote![0]!.actionId, value: quote![0]!.value, responseUrl: doneUrl }));
    expect((await guanxi.slack.waitForResponse((p) => p.url === doneUrl)).body['text']).toBe('Done: send quote');

    const snoozeUrl = guanxi.slack.responseUrl();
    const snooze = demo!.find((b) => b.text === 'Snooze 1 hour')!;
    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: snooze.actionId, value: snooze.value, responseUrl: snoozeUrl }));
    expect((await guanxi.slack.waitForResponse((p) => p.url === snoozeUrl)).body['text']).toBe('Snoozed until Fri 4 Dec, 11:00: book the demo');

    const list = await guanxi.crmText(people.ana.id, 'remind list');
    expect(list).not.toContain('send quote');
    expect(list).toContain('Fri 4 Dec, 11:00');

    guanxi.clock.set('2026-12-04T19:00:00Z');
    await guanxi.server.scheduler.run('reminders');
    expect(dms().map((dm) => dm.args['text'])).toEqual([
      expect.stringContaining('send quote'),
      expect.stringContaining('book the demo'),
      expect.stringContaining('book the demo'),
    ]);
  });

  it('can be closed and moved by typing, by the start of their id, and only by their owner', async () => {
    await guanxi.crm(people.ana.id, 'remind acme in 3 days "renewal call"');
    const [reminder] = await guanxi.server.core.store.reminders.openByOwner(people.ana.id);
    const prefix = reminder!.id.slice(0, 8);

    expect(await guanxi.crmText(people.bo.id, `remind done ${reminder!.id}`)).toContain('belongs to someone else');
    expect(await guanxi.crmText(people.ana.id, `remind snooze ${prefix} 2026-12-10 14:00`)).toBe('Snoozed until Thu 10 Dec, 14:00: renewal call');
    expect(await guanxi.crmText(people.ana.id, `remind done ${prefix}`)).toBe('Done: renewal call');
    expect(await guanxi.crmText(people.ana.id, 'remind list')).toContain('You have no open reminders');
  });

  it('show in the App Home with the accounts the rep owns, and its buttons refresh it', async () => {
    await guanxi.crm(people.ana.id, `assign acme <@${people.ana.id}|ana>`);
    await guanxi.crm(people.ana.id, 'remind acme fri 9am "send quote"');

    await guanxi.event({ type: 'app_home_opened', user: people.ana.id, channel: 'D0ANA00001', tab: 'home', event_ts: '1764694800.000100' });
    const published = await guanxi.slack.waitFor('views.publish');
    const home = readBlocks(published.args['view'].blocks);
    expect(home).toContain('Fri 4 Dec, 09:00, Acme Corp: send quote (rem_');
    expect(home).toContain('Your accounts (1)');

    const done = buttons(published.args['view'].blocks).find((b) => b.text === 'Done')!;
    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: done.actionId, value: done.value, view: { type: 'home', id: 'V0HOME' } }));
    const refreshed = await guanxi.slack.waitFor('views.publish', (call) => !readBlocks(call.args['view'].blocks).includes('send quote'));
    expect(readBlocks(refreshed.args['view'].blocks)).toContain('None. Set one with /crm remind');
  });

  it('keep the App Home and the list within what Slack shows, for a rep with many reminders and accounts', async () => {
    const store = guanxi.server.core.store;
    for (let n = 1; n <= 60; n++) {
      await store.customers.insert({ id: `cus_many${n}`, name: `Account ${String(n).padStart(2, '0')}`, domains: [], ownerId: people.ana.id, createdAt: '2026-11-01T00:00:00.000Z', createdBy: people.ana.id });
    }
    for (let n = 1; n <= 80; n++) {
      await store.reminders.insert({
        id: `rem_many${String(n).padStart(2, '0')}`, customerId: `cus_many${(n % 60) + 1}`, ownerId: people.ana.id, text: `follow-up ${n}`,
        dueAt: new Date(Date.parse('2026-12-03T17:00:00Z') + n * 3_600_000).toISOString(), status: 'open', deliveredAt: null, doneAt: null, createdAt: '2026-12-01T00:00:00.000Z',
      });
    }

    await guanxi.event({ type: 'app_home_opened', user: people.ana.id, channel: 'D0ANA00001', tab: 'home', event_ts: '1764694800.000100' });
    const published = await guanxi.slack.waitFor('views.publish');
    expect(published.response['ok']).toBe(true);
    const home = readBlocks(published.args['view'].blocks);
    expect(home).toContain('follow-up 1 (rem_many01)');
    expect(home).toContain('follow-up 40 (rem_many40)');
    expect(home).toContain('…and 40 more, due later: they show here as these are done.');
    expect(home).toContain('Your accounts (60)');
    expect(home).toContain('…and 20 more: open any with /crm find <name>.');
    expect(buttons(published.args['view'].blocks).filter((b) => b.text === 'Done')).toHaveLength(10);

    // The reply is checked against Slack's 50 blocks as it arrives.
    const list = await guanxi.crmText(people.ana.id, 'remind list');
    expect(list).toContain('Your open reminders (80)');
    expect(list).toContain('follow-up 70 (rem_many70)');
    expect(list).toContain('…and 10 more, due later');
  });

  it('list the rep\'s accounts in the App Home the most valuable first, saying how', async () => {
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      await guanxi.crm(people.ana.id, `add customer ${name}`);
      await guanxi.crm(people.ana.id, `assign ${name} <@${people.ana.id}|ana>`);
    }
    await guanxi.crm(people.ana.id, 'deal gamma 90k won');
    await guanxi.crm(people.ana.id, 'deal beta 10k won');

    await guanxi.event({ type: 'app_home_opened', user: people.ana.id, channel: 'D0ANA00001', tab: 'home', event_ts: '1764694800.000100' });
    const home = readBlocks((await guanxi.slack.waitFor('views.publish')).args['view'].blocks);

    const accounts = home.slice(home.indexOf('Your accounts (3)'));
    // Being assigned them is no touch: the card says "never" too.
    expect(accounts).toContain('Gamma (A): last touch never\n• Beta (B): last touch never\n• Alpha (C): last touch never');
    expect(home).toContain('The most valuable first: tiers by won-deal revenue over the last 12 months (A: the top customers making up 80% of it, B: the next 15%).');
  });

  it('an event Slack retries is handled once, even though it arrives again', async () => {
    const opened = { type: 'app_home_opened', user: people.ana.id, channel: 'D0ANA00001', tab: 'home', event_ts: '1764694800.000100' };
    await guanxi.event(opened, { eventId: 'Ev0FIRST' });
    await guanxi.slack.waitFor('views.publish');
    const retried = await guanxi.event(opened, { eventId: 'Ev0FIRST', retryNum: 1, retryReason: 'http_timeout' });
    expect(retried.status).toBe(200);
    await guanxi.event(opened, { eventId: 'Ev0SECOND' });
    // The second, distinct event is handled after the retry was, so by then the retry's publish would have come.
    await guanxi.slack.waitFor('views.publish', () => guanxi.slack.callsTo('views.publish').length === 2);
    await guanxi.server.scheduler.run('reminders');
    expect(guanxi.slack.callsTo('views.publish')).toHaveLength(2);
  });
});

describe('reminders when Slack fails', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z');
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    // Ana's and Bo's reminders, both due now.
    await guanxi.crm(people.ana.id, 'remind acme fri 9am "send quote"');
    await guanxi.crm(people.bo.id, 'remind acme fri 9am "check the contract"');
    guanxi.clock.set('2026-12-04T17:00:00Z');
  });
  afterEach(() => guanxi.stop());
  const delivered = () => guanxi.slack.callsTo('chat.postMessage').filter((call) => call.response['ok']).map((call) => call.args['channel']);

  it('are tried again next minute when a DM fails, without holding up the others', async () => {
    guanxi.slack.failNext('chat.postMessage', { error: 'internal_error' });

    await guanxi.server.scheduler.run('reminders');
    expect(delivered()).toHaveLength(1);

    guanxi.clock.set('2026-12-04T17:01:00Z');
    await guanxi.server.scheduler.run('reminders');
    expect(delivered().sort()).toEqual([people.ana.id, people.bo.id].sort());
  });

  it('wait, with one error naming the token, while Slack refuses it, and go out at the first run after it is fixed', async () => {
    // What Slack answers a bot token once the app is removed from the workspace.
    guanxi.slack.failNext('chat.postMessage', { error: 'account_inactive' });

    await guanxi.server.scheduler.run('reminders');

    // The first refusal stops the run: the other DM would be refused the same way.
    expect(guanxi.slack.callsTo('chat.postMessage')).toHaveLength(1);
    const told = guanxi.log.lines.filter((line) => line.includes('No reminder can be sent'));
    expect(told).toEqual([
      `error No reminder can be sent: Slack refuses guanxi's bot token (account_inactive): set SLACK_BOT_TOKEN to the app's Bot User OAuth Token, or reinstall the app from manifests/slack.yaml (README, "Connect Slack"). The 2 due go out at the first run after. `,
    ]);
    expect((await guanxi.server.core.store.reminders.due(guanxi.clock.now())).map((r) => r.deliveredAt)).toEqual([null, null]);

    guanxi.clock.set('2026-12-04T17:01:00Z');
    await guanxi.server.scheduler.run('reminders');
    expect(delivered().sort()).toEqual([people.ana.id, people.bo.id].sort());
  });
});
