import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { buttons, Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { blockActionPayload } from '../../support/slack-requests.ts';

const shared = 'C0ACMESHRD';
const jane = { id: 'U0JANEACME', name: 'jane', realName: 'Jane Doe', tz: 'America/New_York', email: 'jane@acme.com' };
const kim = { id: 'U0KIMACME1', name: 'kim', realName: 'Kim Park', tz: 'America/New_York', email: 'kim@acme.com' };

describe('satisfaction polls in a customer\'s Slack channel', () => {
  let guanxi: Guanxi;
  let acme: Customer;
  beforeEach(async () => {
    guanxi = await Guanxi.start();
    guanxi.slack.addUser(jane);
    guanxi.slack.addUser(kim);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, `link <#${shared}|acme-shared> acme`);
    acme = (await guanxi.server.core.store.customers.byName('Acme Corp'))[0]!;
  });
  afterEach(() => guanxi.stop());

  const posted = () => guanxi.slack.postsTo(shared);
  const thanks = (user: string) => guanxi.slack.callsTo('chat.postEphemeral').filter((call) => call.args['user'] === user);
  const polls = () => guanxi.server.core.store.polls.byCustomer(acme.id);
  /** Clicks a score on the poll message as `user`; resolves once the ephemeral answer is posted. */
  async function click(user: string, score: number, message = posted().at(-1)!) {
    const button = buttons(message.args['blocks']).find((b) => b.text === String(score))!;
    const before = thanks(user).length;
    expect((await guanxi.interact(blockActionPayload({ user, actionId: button.actionId, value: button.value, channelId: shared }))).status).toBe(200);
    await guanxi.slack.waitFor('chat.postEphemeral', (call) => call.args['user'] === user && thanks(user).length > before);
    return String(thanks(user).at(-1)!.args['text']);
  }

  it('posts the poll as buttons in the linked channel; each person\'s click is their answer, which a later click changes', async () => {
    const reply = await guanxi.crmText(people.ana.id, 'poll acme');

    expect(reply).toContain(`Posted a CSAT poll in <#${shared}>, *Acme Corp*'s linked channel.`);
    const [message] = posted();
    expect(readBlocks(message!.args['blocks'])).toContain('Ana Lima asks: How satisfied are you with us?');
    expect(buttons(message!.args['blocks']).map((b) => b.text)).toEqual(['1', '2', '3', '4', '5']);

    expect(await click(jane.id, 4)).toBe('Thank you! Your answer, 4, is recorded. Click another score to change it.');
    await click(kim.id, 5);
    await click(jane.id, 5);
    expect(await click(people.bo.id, 1)).toBe('This poll asks the customer; answers from our own team are not counted.');

    expect(Object.fromEntries((await polls())[0]!.answers.map((a) => [a.respondent, a.score]))).toEqual({ [jane.id]: 5, [kim.id]: 5 });
    expect(readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks'])).toContain('CSAT 100%: 2 of 2 answers were 4 or 5 (on 1 to 5).');
  });

  it('a detractor\'s click DMs the asker when the customer has no owner, and the card shows the trend of recent polls', async () => {
    for (const score of [1, 3, 5]) {
      await guanxi.crm(people.ana.id, 'poll acme');
      await click(jane.id, score);
      guanxi.clock.advance(86_400_000);
    }

    const alerts = guanxi.slack.postsTo(people.ana.id).filter((call) => String(call.args['text']).includes('detractor'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.args['text']).toContain(`*Acme Corp*: Someone in <#${shared}> answered *1* out of 5 to the CSAT poll`);
    const card = readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks']);
    expect(card).toContain('CSAT 33%: 1 of 3 answers were 4 or 5 (on 1 to 5).');
    expect(card).toContain('CSAT trend ▁▅█: the average score of each of the last 3 answered polls, oldest first.');
  });

  it('says how to let guanxi into the channel when Slack refuses the post', async () => {
    guanxi.slack.failNext('chat.postMessage', { error: 'not_in_channel' });

    const reply = await guanxi.crmText(people.ana.id, 'poll acme');

    expect(reply).toContain(`The CSAT poll was not sent: Slack refused the post in <#${shared}>`);
    expect(reply).toContain('If guanxi is not in the channel, add it with /invite @guanxi, then ask again.');
    expect(await polls()).toMatchObject([{ status: 'failed' }]);
  });

  it('a word after the customer that is no kind of poll is said to be so, and nothing is sent', async () => {
    const reply = await guanxi.crmText(people.ana.id, 'poll acme survey');

    expect(reply).toBe('No customer matches "acme survey", and "survey" is not a kind of poll. To poll Acme Corp, put csat or nps after its name, or nothing for CSAT: /crm poll Acme Corp nps');
    expect(await polls()).toEqual([]);
    expect(guanxi.slack.postsTo(shared)).toEqual([]);
  });

  it('an expired poll\'s buttons record nothing', async () => {
    await guanxi.crm(people.ana.id, 'poll acme nps');
    guanxi.clock.advance(30 * 86_400_000);

    expect(await click(jane.id, 9)).toContain('This poll closed on');
    expect((await polls())[0]!.answers).toEqual([]);
  });

  it('"Send a satisfaction poll" on a closed case polls that case\'s customer, following the same rules', async () => {
    await guanxi.crm(people.ana.id, 'case acme "Refund the double charge"');
    const [opened] = await guanxi.server.core.store.cases.byCustomer(acme.id);
    const closed = await guanxi.crm(people.ana.id, `case close ${opened!.id} Refunded`);
    const offer = buttons(closed.reply.body['blocks']).find((b) => b.text === 'Send a satisfaction poll')!;
    const responseUrl = guanxi.slack.responseUrl();

    await guanxi.interact(blockActionPayload({ user: people.ana.id, actionId: offer.actionId, value: offer.value, responseUrl }));

    const answer = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(answer.body['text']).toContain(`Posted a CSAT poll in <#${shared}>`);
    expect(await polls()).toMatchObject([{ caseId: opened!.id, via: 'slack', channelId: shared, status: 'sent', askedBy: people.ana.id }]);
    expect(buttons(posted().at(-1)!.args['blocks']).map((b) => b.text)).toEqual(['1', '2', '3', '4', '5']);
  });
});
