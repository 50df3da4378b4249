import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';

const shared = 'C0ACMESHRD';
const jane = { id: 'U0JANEACME', name: 'jane', realName: 'Jane Doe', tz: 'America/New_York', email: 'jane@acme.com' };

describe('customer channels in Slack', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start();
    guanxi.slack.addUser(jane);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
  });
  afterEach(() => guanxi.stop());

  const post = (user: string, ts: string, text: string, extra: Record<string, unknown> = {}) =>
    guanxi.event({ type: 'message', channel: shared, channel_type: 'channel', user, text, ts, event_ts: ts, ...extra }, { eventId: `Ev${ts.replace('.', '')}` });

  async function timeline() {
    const [acme] = await guanxi.server.core.store.customers.byName('Acme Corp');
    return guanxi.server.core.store.interactions.byCustomer(acme!.id, 50);
  }

  it("logs what is said in a linked channel to the customer's timeline, with its permalink, and a thread as one line on the card", async () => {
    expect(await guanxi.crmText(people.ana.id, `link <#${shared}|acme-shared> acme`)).toContain('are now logged to *Acme Corp*');

    await post(jane.id, '1764694800.000100', 'Can we move the kickoff to Monday?');
    await post(people.ana.id, '1764694860.000200', 'Monday works, 10am your time', { thread_ts: '1764694800.000100' });
    await post(jane.id, '1764694920.000300', 'Perfect, thanks!', { thread_ts: '1764694800.000100' });
    // Slack is answered before the listener runs: wait for the three to be stored.
    await expect.poll(async () => (await timeline()).length).toBe(3);

    const logged = await timeline();
    expect(logged.map((i) => [i.summary, i.direction, i.linkReason])).toEqual([
      ['Perfect, thanks!', 'inbound', 'channel'],
      ['Monday works, 10am your time', 'outbound', 'channel'],
      ['Can we move the kickoff to Monday?', 'inbound', 'channel'],
    ]);
    expect(logged[2]!.permalink).toContain(`/archives/${shared}/p1764694800000100`);
    const card = readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks']);
    expect(card).toContain('Slack thread (3 messages) by Ana Lima: Perfect, thanks!');
  });

  it('logs a message Slack delivers twice once, and nothing from channels that are not linked or no longer are', async () => {
    await guanxi.crm(people.ana.id, `link <#${shared}|acme-shared> acme`);
    await post(jane.id, '1764694800.000100', 'Hello from Acme');
    // Slack is answered before the listener runs; a command is handled at once, and must not overtake it.
    await expect.poll(async () => (await timeline()).map((i) => i.summary)).toEqual(['Hello from Acme']);
    await guanxi.event(
      { type: 'message', channel: shared, channel_type: 'channel', user: jane.id, text: 'Hello from Acme', ts: '1764694800.000100', event_ts: '1764694800.000100' },
      { eventId: 'Ev1764694800000100', retryNum: 1, retryReason: 'http_timeout' },
    );
    await guanxi.event({ type: 'message', channel: 'C0ELSEWHRE', channel_type: 'channel', user: jane.id, text: 'Elsewhere', ts: '1764694801.000100', event_ts: '1764694801.000100' });
    expect(await guanxi.crmText(people.ana.id, `unlink <#${shared}|acme-shared>`)).toContain('is no longer logged');
    await post(jane.id, '1764694900.000100', 'After the unlink');
    // A message in another linked channel, sent last, takes the longest way through: once it is stored, the others were handled.
    await guanxi.crm(people.ana.id, 'link <#C0MARKER01|acme-marker> acme');
    await guanxi.event({ type: 'message', channel: 'C0MARKER01', channel_type: 'channel', user: jane.id, text: 'Marker', ts: '1764695000.000100', event_ts: '1764695000.000100' });
    await expect.poll(async () => (await timeline()).map((i) => i.summary)).toContain('Marker');

    expect((await timeline()).map((i) => i.summary)).toEqual(['Marker', 'Hello from Acme']);
  });
});
