import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modalIds } from '../../../adapters/slack/modals.ts';
import { buttons, Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { blockActionPayload, messageShortcutPayload, viewSubmissionPayload } from '../../support/slack-requests.ts';

describe('the customer card in Slack', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z');
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
  });
  afterEach(() => guanxi.stop());

  /** Shows the card to Ana and presses one of its buttons; resolves with the modal Slack was asked to open. */
  async function press(label: string) {
    const { reply } = await guanxi.crm(people.ana.id, 'find acme');
    const button = buttons(reply.body['blocks']).find((b) => b.text === label)!;
    const responseUrl = guanxi.slack.responseUrl();
    const clicked = await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: button.actionId, value: button.value, responseUrl }));
    expect(clicked.status).toBe(200);
    return { responseUrl, button };
  }

  it('"Log a call" opens a modal whose submission logs the call and refreshes the card', async () => {
    const { responseUrl } = await press('Log a call');
    const opened = await guanxi.slack.waitFor('views.open');
    expect(opened.args['view'].callback_id).toBe(modalIds.logInteraction);

    const submitted = await guanxi.interact(
      viewSubmissionPayload({
        user: people.ana.id,
        callbackId: modalIds.logInteraction,
        privateMetadata: opened.args['view'].private_metadata,
        values: {
          [modalIds.kind]: { [modalIds.kind]: { type: 'static_select', selected_option: { value: 'meeting' } } },
          [modalIds.summary]: { [modalIds.summary]: 'Demo went well; they want a pilot' },
        },
      }),
    );

    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    const refreshed = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(refreshed.body['replace_original']).toBe(true);
    expect(readBlocks(refreshed.body['blocks'])).toContain('meeting by Ana Lima: Demo went well; they want a pilot');
  });

  it('"Set a reminder" reads the time in the rep\'s own zone, and a time it cannot read keeps the modal open with a hint', async () => {
    const { responseUrl } = await press('Set a reminder');
    const opened = await guanxi.slack.waitFor('views.open');
    const submit = (when: string) =>
      guanxi.interact(
        viewSubmissionPayload({
          user: people.ana.id,
          callbackId: modalIds.setReminder,
          privateMetadata: opened.args['view'].private_metadata,
          values: { [modalIds.when]: { [modalIds.when]: when }, [modalIds.text]: { [modalIds.text]: 'send the quote' } },
        }),
      );

    const refused = await submit('someday soon');
    expect(JSON.parse(refused.body)).toMatchObject({ response_action: 'errors', errors: { [modalIds.when]: expect.stringContaining('tomorrow 9am') } });
    expect(await guanxi.server.core.store.reminders.openByOwner(people.ana.id)).toEqual([]);

    expect((await submit('fri 9am')).body).toBe('');
    const [reminder] = await guanxi.server.core.store.reminders.openByOwner(people.ana.id);
    // Friday 4 December, 09:00 in Los Angeles is 17:00 UTC.
    expect(reminder).toMatchObject({ dueAt: '2026-12-04T17:00:00.000Z', text: 'send the quote' });
    const refreshed = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(readBlocks(refreshed.body['blocks'])).toContain('Fri 4 Dec, 09:00: send the quote');
  });

  it('"Share in channel" posts the card for everyone, without the buttons', async () => {
    const { responseUrl } = await press('Share in channel');
    const shared = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(shared.body['response_type']).toBe('in_channel');
    expect(readBlocks(shared.body['blocks'])).toContain('Shared by Ana Lima');
    expect(buttons(shared.body['blocks'])).toEqual([]);
  });

  it('opens the card of the customer chosen from a list of matches', async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Logistics" acmelogistics.com');
    const { reply } = await guanxi.crm(people.ana.id, 'find acme');
    const logistics = buttons(reply.body['blocks']).find((b) => b.text === 'Acme Logistics')!;
    const responseUrl = guanxi.slack.responseUrl();
    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: logistics.actionId, value: logistics.value, responseUrl }));
    const card = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(readBlocks(card.body['blocks'])).toContain('acmelogistics.com');
  });

  it('an account pressed in the App Home opens its card in a modal', async () => {
    await guanxi.crm(people.ana.id, `assign acme <@${people.ana.id}|ana>`);
    await guanxi.event({ type: 'app_home_opened', user: people.ana.id, channel: 'D0ANA00001', tab: 'home', event_ts: '1764694800.000100' });
    const home = await guanxi.slack.waitFor('views.publish');
    const account = buttons(home.args['view'].blocks).find((b) => b.text === 'Acme Corp')!;
    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: account.actionId, value: account.value, view: { type: 'home', id: 'V0HOME' } }));
    const opened = await guanxi.slack.waitFor('views.open');
    expect(readBlocks(opened.args['view'].blocks)).toContain('Ana Lima became the owner.');
  });

  it('"Log to CRM" puts any Slack message, with its permalink, on the customer named, and suggests a name it does not know', async () => {
    const responseUrl = guanxi.slack.responseUrl();
    await guanxi.interact(
      messageShortcutPayload({
        user: people.ana.id,
        callbackId: 'log_message',
        channelId: 'C0SALES001',
        message: { ts: '1764694800.000200', text: 'Acme asked for the SOC 2 report', user: people.bo.id },
        responseUrl,
      }),
    );
    const opened = await guanxi.slack.waitFor('views.open');
    expect(readBlocks(opened.args['view'].blocks)).toContain('Customer');
    const submit = (customer: string) =>
      guanxi.interact(
        viewSubmissionPayload({
          user: people.ana.id,
          callbackId: modalIds.logMessage,
          privateMetadata: opened.args['view'].private_metadata,
          values: { [modalIds.customer]: { [modalIds.customer]: customer }, [modalIds.summary]: { [modalIds.summary]: 'Acme asked for the SOC 2 report' } },
        }),
      );

    const refused = JSON.parse((await submit('acme crop')).body);
    expect(refused.errors[modalIds.customer]).toContain('Did you mean Acme Corp?');

    expect((await submit('acme.com')).body).toBe('');
    const told = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(told.body['text']).toBe("Logged that message on Acme Corp's timeline.");
    const [customer] = await guanxi.server.core.store.customers.list();
    const [logged] = await guanxi.server.core.store.interactions.byCustomer(customer!.id, 5);
    expect(logged).toMatchObject({
      kind: 'message',
      summary: 'Acme asked for the SOC 2 report',
      loggedBy: people.ana.id,
      occurredAt: '2025-12-02T17:00:00.000Z',
      permalink: expect.stringContaining('/archives/C0SALES001/p1764694800000200'),
    });
  });
});
