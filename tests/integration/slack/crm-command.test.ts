import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttons, Guanxi, people, readBlocks, signingSecret } from '../../support/guanxi.ts';
import { sendUrlVerification, slashCommand } from '../../support/slack-requests.ts';

describe('/crm over Slack', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start();
  });
  afterEach(() => guanxi.stop());

  it('acknowledges at once and answers with the customer card, only to the person who asked', async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');
    await guanxi.crm(people.ana.id, 'log acme call "Talked pricing, quote by Friday"');

    const { ackMs, reply } = await guanxi.crm(people.bo.id, 'find acme');

    expect(ackMs).toBeLessThan(1000);
    expect(reply.body['response_type']).toBe('ephemeral');
    const card = readBlocks(reply.body['blocks']);
    expect(card).toContain('Acme Corp');
    expect(card).toContain('acme.com');
    expect(card).toContain('Jane Doe <jane@acme.com>');
    expect(card).toContain('Talked pricing, quote by Friday');
    expect(card).toContain('call by Ana Lima');
    expect(buttons(reply.body['blocks']).map((b) => b.text)).toEqual(['Log a call', 'Set a reminder', 'Share in channel']);
  });

  it('finds a customer by a contact, a domain and a typo, and lists several matches to choose from', async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add customer "Acme Logistics" acmelogistics.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');

    expect(await guanxi.crmText(people.ana.id, 'find jane@acme.com')).toContain('Acme Corp');
    expect(await guanxi.crmText(people.ana.id, 'find acmelogistics.com')).toContain('Acme Logistics');
    const several = (await guanxi.crm(people.ana.id, 'find acme')).reply.body;
    expect(several['text']).toContain('2 customers match "acme"');
    expect(buttons(several['blocks']).map((b) => b.text)).toEqual(['Acme Corp', 'Acme Logistics']);
    expect(await guanxi.crmText(people.ana.id, 'find acme logstics')).toContain('Did you mean *Acme Logistics*?');
    expect(await guanxi.crmText(people.ana.id, 'find zzz')).toBe(
      'No customer matches "zzz".\nSearch by name, domain (acme.com), or a contact\'s name or address. Add a customer with /crm add customer <name> [domain].',
    );
  });

  it('says which contact a customer was found by, and when there are more matches than it lists', async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add customer Globex globex.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');
    await guanxi.crm(people.ana.id, 'add contact jane@globex.com Jane Roe');
    expect(await guanxi.crmText(people.ana.id, 'find jane')).toBe(
      ['2 customers match "jane":', '  • *Acme Corp* (acme.com), by its contact Jane Doe', '  • *Globex* (globex.com), by its contact Jane Roe'].join('\n'),
    );

    for (let n = 1; n <= 26; n++) await guanxi.crm(people.ana.id, `add customer "Studio ${n}" studio${n}.com`);
    const many = (await guanxi.crm(people.ana.id, 'find studio')).reply.body;
    expect(many['text']).toMatch(/^Many customers match "studio"; the best 10:\n/);
    expect(many['text']).toContain('Type more of the name, or a domain or address, to narrow it down.');
    expect(buttons(many['blocks'])).toHaveLength(10);
    expect(await guanxi.crmText(people.ana.id, 'log studio call "Talked"')).toMatch(/^"studio" matches many customers: Studio 1 \(studio1\.com\); /);
  });

  it('keeps the card of a customer with hundreds of contacts within what Slack shows', async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    const [acme] = await guanxi.server.core.store.customers.byName('Acme Corp');
    for (let n = 1; n <= 300; n++) {
      await guanxi.server.core.store.contacts.insert({
        id: `con_many${n}`, email: `person${n}@acme.com`, name: `Person ${n}`, customerId: acme!.id, source: 'manual', createdAt: new Date(Date.parse('2026-11-01T00:00:00.000Z') + n * 1000).toISOString(), createdBy: people.ana.id,
        ...(n % 5 === 0 ? { optedOut: { at: '2026-11-02T00:00:00.000Z', by: people.ana.id } } : {}),
      });
    }

    // The reply is checked against Slack's 50 blocks as it arrives.
    const { reply } = await guanxi.crm(people.bo.id, 'find acme');
    const card = readBlocks(reply.body['blocks']);
    expect(card).toContain('Contacts (300, the first 25)');
    expect(card).toContain('Person 25 <person25@acme.com>');
    expect(card).not.toContain('<person26@acme.com>');
    expect(card).toContain('⚠️ Person 300 asked not to be contacted unasked since');
    expect(buttons(reply.body['blocks']).map((b) => b.text)).toEqual(['Log a call', 'Set a reminder', 'Share in channel']);
  });

  it('answers a command with bad arguments with the right form and an example, and stores nothing', async () => {
    const text = await guanxi.crmText(people.ana.id, 'log acme');
    expect(text).toContain('Usage: /crm log <customer> <call|meeting|note> <text>');
    expect(text).toContain('Example: /crm log acme call');
    expect(await guanxi.crmText(people.ana.id, 'log nobody call "hello"')).toContain('No customer matches "nobody"');
    expect(await guanxi.server.core.store.customers.list()).toEqual([]);
  });

  it('refuses a request with a bad signature or a timestamp older than five minutes, and changes nothing', async () => {
    const responseUrl = guanxi.slack.responseUrl();
    const fields = { text: 'add customer Evil evil.com', user_id: people.ana.id, response_url: responseUrl };
    const now = Math.floor(guanxi.clock.now().getTime() / 1000);

    const forged = await slashCommand(guanxi.url, 'not-the-secret', fields, { timestamp: now });
    const stale = await slashCommand(guanxi.url, signingSecret, fields, { timestamp: now - 301 });

    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(await guanxi.server.core.store.customers.list()).toEqual([]);
    expect(await guanxi.server.core.store.members.list()).toEqual([]);
    expect(guanxi.slack.responses).toEqual([]);
  });

  it('keeps what was stored through a restart', async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'log acme meeting "Kick-off on site"');
    await guanxi.restart();
    expect(readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks'])).toContain('Kick-off on site');
  });

  it('gives an account a new owner, keeps its history and notes the change on the timeline', async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'log acme call "Promised a 10% discount"');
    await guanxi.crm(people.ana.id, `assign acme <@${people.ana.id}|ana>`);

    const text = await guanxi.crmText(people.ana.id, `assign acme <@${people.chloe.id}|chloe>`);

    expect(text).toContain('is now owned by Chloé Martin (was Ana Lima)');
    const card = readBlocks((await guanxi.crm(people.chloe.id, 'find acme')).reply.body['blocks']);
    expect(card).toContain('Owner\nChloé Martin');
    expect(card).toContain('Owner changed from Ana Lima to Chloé Martin.');
    expect(card).toContain('Promised a 10% discount');
  });
});

describe('Slack set-up and failures', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start();
  });
  afterEach(() => guanxi.stop());

  it('answers the URL check Slack makes when the request URL is saved', async () => {
    const answer = await sendUrlVerification(guanxi.url, signingSecret, 'challenge-3eZbrw1aBm', guanxi.signed());
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ challenge: 'challenge-3eZbrw1aBm' });
  });

  it('tells the user when something fails on our side, instead of staying silent', async () => {
    guanxi.slack.failNext('users.info', { error: 'fatal_error' });
    const { reply } = await guanxi.crm(people.ana.id, 'find acme');
    expect(reply.body['text']).toBe('Sorry, that failed on our side and has been logged. Please try again in a minute.');
    expect(guanxi.log.lines.join('\n')).toContain('fatal_error');
  });
});
