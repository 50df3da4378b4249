import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../../src/domain/case.ts';
import type { Customer } from '../../../src/domain/customer.ts';
import type { Interaction } from '../../../src/domain/interaction.ts';
import type { Poll } from '../../../src/domain/poll.ts';
import type { CollectionName, Store } from '../../../src/store/store.ts';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { usePostgres } from '../../support/postgres.ts';
import { blockActionPayload } from '../../support/slack-requests.ts';

const postgres = usePostgres();

/** The collections whose records belong to one customer, by `customerId`. */
const owned = ['contacts', 'interactions', 'reminders', 'polls', 'cases', 'deals', 'channels'] as const satisfies readonly CollectionName[];
type Holdings = Record<(typeof owned)[number], number>;

/** How many records of each kind a customer has in the store, unlinked interactions and closed cases included. */
async function holdings(store: Store, customerId: string): Promise<Holdings> {
  const counts = { contacts: 0, interactions: 0, reminders: 0, polls: 0, cases: 0, deals: 0, channels: 0 };
  for (const collection of owned) {
    for await (const record of store.records(collection)) if (record.customerId === customerId) counts[collection]++;
  }
  return counts;
}

async function countAll(store: Store, collection: CollectionName): Promise<number> {
  let count = 0;
  for await (const _ of store.records(collection)) count++;
  return count;
}

describe.each(['lowdb', 'postgres'] as const)('/crm merge and /crm duplicates, %s store', (kind) => {
  let guanxi: Guanxi;
  let store: Store;
  let inc: Customer;
  let corp: Customer;

  beforeEach(async () => {
    const databaseUrl = kind === 'postgres' ? (await postgres.createDatabase()).url : undefined;
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', databaseUrl ? { databaseUrl } : {});
    store = guanxi.server.core.store;
    // Ana is the first to use guanxi, so she is its admin; Bo is a rep.
    await guanxi.crm(people.ana.id, 'add customer "Acme Inc" acme.com acme.io');
    await guanxi.crm(people.bo.id, 'add customer "Acme Corp" acmecorp.com');
    inc = (await store.customers.byName('Acme Inc'))[0]!;
    corp = (await store.customers.byName('Acme Corp'))[0]!;
  });
  afterEach(() => guanxi.stop());

  /** Acme Inc with a history of every kind, Acme Corp with its own, and one mail on both timelines. */
  async function histories(): Promise<void> {
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');
    await guanxi.crm(people.bo.id, 'add contact bob@acmecorp.com Bob Stone');
    await guanxi.crm(people.ana.id, 'log "Acme Inc" call "Promised a pilot in January"');
    await guanxi.crm(people.bo.id, 'log "Acme Corp" note "Renewal due in March"');
    await store.interactions.insertMessages([
      mail('int_m1', inc.id, 'pilot-plan@acme.com', 'Pilot plan'),
      mail('int_m2_inc', inc.id, 'intro@acme.com', 'Introductions'),
      mail('int_m2_corp', corp.id, 'intro@acme.com', 'Introductions'),
      mail('int_m3', inc.id, 'newsletter@acme.com', 'Our newsletter'),
    ]);
    expect(await guanxi.crmText(people.ana.id, 'unlink int_m3 "Acme Inc"')).toContain('Took "Our newsletter" off');
    await guanxi.crm(people.ana.id, 'remind "Acme Inc" tomorrow 9am "send the pilot contract"');
    await store.polls.insert(poll('pol_1', inc.id));
    await store.cases.insert(supportCase('cas_1', inc.id));
    await guanxi.crm(people.ana.id, 'deal "Acme Inc" 12k won "Pilot"');
    await guanxi.crm(people.ana.id, 'link <#C0ACMEINC1|acme-inc> "Acme Inc"');
  }

  it('moves every record of the merged customer and says what moved; the counts before and after add up', async () => {
    await histories();
    const before = { inc: await holdings(store, inc.id), corp: await holdings(store, corp.id), interactions: await countAll(store, 'interactions') };
    expect(before.inc).toEqual({ contacts: 1, interactions: 4, reminders: 1, polls: 1, cases: 1, deals: 1, channels: 1 });
    expect(before.corp).toEqual({ contacts: 1, interactions: 2, reminders: 0, polls: 0, cases: 0, deals: 0, channels: 0 });

    const text = await guanxi.crmText(people.ana.id, 'merge "Acme Inc" into "Acme Corp"');

    expect(text).toContain('Merged *Acme Inc* into *Acme Corp*.');
    expect(text).toContain('Moved: 2 domains (acme.com, acme.io), 1 contact, 3 interactions, 1 reminder, 1 poll, 1 case, 1 deal, 1 linked channel.');
    expect(text).toContain("1 mail was already on *Acme Corp*'s timeline: its copy is kept, so each is there once.");
    const after = { inc: await holdings(store, inc.id), corp: await holdings(store, corp.id), interactions: await countAll(store, 'interactions') };
    expect(after.inc).toEqual({ contacts: 0, interactions: 0, reminders: 0, polls: 0, cases: 0, deals: 0, channels: 0 });
    for (const kind of owned) {
      const reconciled = kind === 'interactions' ? 1 : 0;
      expect(after.corp[kind], kind).toBe(before.corp[kind] + before.inc[kind] - reconciled);
    }
    expect(after.interactions).toBe(before.interactions - 1);
    expect(await store.interactions.get('int_m2_corp')).toMatchObject({ customerId: corp.id });
    expect(await store.interactions.get('int_m3')).toMatchObject({ customerId: corp.id, unlinkedBy: people.ana.id });
    expect(await store.customers.get(inc.id)).toMatchObject({ name: 'Acme Inc', mergedInto: corp.id, domains: [] });
    expect([...(await store.customers.get(corp.id))!.domains].sort()).toEqual(['acme.com', 'acme.io', 'acmecorp.com']);
  });

  it('leads the old name, domain and id to the customer it became, with a note, and lists it no more', async () => {
    await histories();
    await guanxi.crm(people.ana.id, 'merge "Acme Inc" into "Acme Corp"');

    for (const reference of ['Acme Inc', inc.id]) {
      const card = readBlocks((await guanxi.crm(people.bo.id, `find ${reference}`)).reply.body['blocks']);
      expect(card).toContain('Acme Inc was merged into Acme Corp.');
      expect(card).toContain('Promised a pilot in January');
      expect(card).toContain('Renewal due in March');
      expect(card).toContain('Jane Doe <jane@acme.com>');
    }
    const search = await guanxi.crmText(people.bo.id, 'find acme');
    expect(search).toContain('Acme Corp');
    expect(search).not.toContain('Acme Inc');
    expect(await guanxi.crmText(people.bo.id, 'find acme.io')).toContain('Acme Corp');

    const responseUrl = guanxi.slack.responseUrl();
    await guanxi.interact(blockActionPayload({ user: people.bo.id, actionId: 'open_customer:0', value: inc.id, responseUrl }));
    const opened = await guanxi.slack.waitForResponse((post) => post.url === responseUrl);
    expect(readBlocks(opened.body['blocks'])).toContain('Acme Inc was merged into Acme Corp.');

    expect(await guanxi.crmText(people.bo.id, 'log "Acme Inc" call "Called about the pilot"')).toContain('Acme Corp');
    expect((await store.interactions.byCustomer(corp.id, 1))[0]).toMatchObject({ summary: 'Called about the pilot' });
  });

  it('finishes a merge that was interrupted after the redirect, when run again', async () => {
    await histories();
    // The first step alone, as a crash right after it would leave the store.
    await store.customers.markMerged(inc.id, corp.id);

    const text = await guanxi.crmText(people.ana.id, 'merge "Acme Inc" into "Acme Corp"');

    expect(text).toContain('*Acme Inc* was already merged into *Acme Corp*; this finished moving what was left.');
    expect(text).toContain('Moved: 0 domains, 1 contact, 3 interactions, 1 reminder, 1 poll, 1 case, 1 deal, 1 linked channel.');
    expect(await holdings(store, inc.id)).toEqual({ contacts: 0, interactions: 0, reminders: 0, polls: 0, cases: 0, deals: 0, channels: 0 });
    expect(await guanxi.crmText(people.ana.id, 'merge "Acme Inc" into "Acme Corp"')).toContain('nothing was left to move');
  });

  it('refuses a rep, naming the admin, and changes nothing', async () => {
    const text = await guanxi.crmText(people.bo.id, 'merge "Acme Inc" into "Acme Corp"');

    expect(text).toBe('Only an admin can merge customers. Ask Ana Lima.');
    expect(await store.customers.get(inc.id)).toEqual(inc);
  });

  it('refuses an unknown name, a merge into itself and a merge into a merged customer, saying what to do', async () => {
    expect(await guanxi.crmText(people.ana.id, 'merge "Acme Incc" into "Acme Corp"')).toContain('No customer matches "Acme Incc". Did you mean *Acme Inc*');
    expect(await guanxi.crmText(people.ana.id, 'merge acme.com into "Acme Inc"')).toContain('a customer cannot be merged into itself');
    expect(await guanxi.crmText(people.ana.id, 'merge "Acme Corp"')).toContain('Usage: /crm merge <customer> into <customer>');
    await guanxi.crm(people.ana.id, 'add customer Globex globex.com');
    await guanxi.crm(people.ana.id, 'merge "Acme Inc" into "Acme Corp"');

    expect(await guanxi.crmText(people.ana.id, 'merge Globex into "Acme Inc"')).toContain(
      '*Acme Inc* was merged into *Acme Corp*: merge into that one instead, with /crm merge "Globex" into "Acme Corp".',
    );
    expect(await guanxi.crmText(people.ana.id, 'merge "Acme Inc" into Globex')).toContain('*Acme Inc* was already merged into *Acme Corp*.');
    expect((await store.customers.byName('Globex'))[0]?.mergedInto).toBeUndefined();
  });

  it('lists suspected duplicates with their reasons, and a merged pair no more', async () => {
    await guanxi.crm(people.ana.id, 'add customer "ACME Ltd." acme.co.uk');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe "Acme Corp"');
    await guanxi.crm(people.ana.id, 'add customer "Globex Industries" globex.com');
    await guanxi.crm(people.ana.id, 'add customer "Globx Industries"');
    await guanxi.crm(people.ana.id, 'add customer Initech initech.com');

    const listed = await guanxi.crmText(people.bo.id, 'duplicates');

    expect(listed).toContain('4 pairs of customers look like one customer');
    expect(lineOf(listed, 'jane@acme.com')).toContain(
      'jane@acme.com, a contact of Acme Corp, is at Acme Inc\'s domain; the same name once case, punctuation and legal forms are set aside ("acme").',
    );
    expect(lineOf(listed, 'jane@acme.com')).toMatch(/Merge: \/crm merge "Acme (Inc|Corp)" into "Acme (Corp|Inc)"$/);
    expect(lineOf(listed, 'under two suffixes')).toMatch(/one domain name, "acme", under two suffixes: (acme\.com, acme\.io and acme\.co\.uk|acme\.co\.uk and acme\.com, acme\.io)/);
    expect(lineOf(listed, 'near-identical')).toMatch(/near-identical names \("(globex|globx) industries" and "(globx|globex) industries", one letter apart\)/);
    expect(listed).not.toContain('Initech');
    // Pairs with two reasons come before pairs with one.
    expect(listed.indexOf('jane@acme.com')).toBeLessThan(listed.indexOf('near-identical'));

    await guanxi.crm(people.ana.id, 'merge "Globx Industries" into "Globex Industries"');
    expect(await guanxi.crmText(people.bo.id, 'duplicates')).not.toContain('Globx');
  });

  it('lists a pair no more once someone says the two are not one, and refuses one customer named twice', async () => {
    await guanxi.crm(people.ana.id, 'add customer "ACME Ltd." acme.co.uk');
    const incAndLtd = /\*Acme Inc\* and \*ACME Ltd\.\*|\*ACME Ltd\.\* and \*Acme Inc\*/;
    expect(await guanxi.crmText(people.bo.id, 'duplicates')).toMatch(incAndLtd);

    const text = await guanxi.crmText(people.bo.id, 'duplicates dismiss "ACME Ltd." and acme.com');

    expect(text).toContain('*ACME Ltd.* and *Acme Inc* are no longer listed as duplicates.');
    const listed = await guanxi.crmText(people.bo.id, 'duplicates');
    expect(listed).not.toMatch(incAndLtd);
    expect(listed).toMatch(/\*Acme Corp\* and \*ACME Ltd\.\*|\*ACME Ltd\.\* and \*Acme Corp\*/);
    expect(await guanxi.crmText(people.bo.id, 'duplicates dismiss acme.io and "Acme Inc"')).toContain('are both *Acme Inc*: name two different customers.');
    expect(await guanxi.crmText(people.bo.id, 'duplicates dismiss "Acme Inc"')).toContain('Usage: /crm duplicates dismiss <customer> and <customer>');
  });
});

/** The one line of `text` that mentions `needle`. */
function lineOf(text: string, needle: string): string {
  const lines = text.split('\n').filter((line) => line.includes(needle));
  expect(lines, needle).toHaveLength(1);
  return lines[0]!;
}

function mail(id: string, customerId: string, messageId: string, subject: string): Interaction {
  return {
    id,
    customerId,
    kind: 'email',
    summary: subject,
    occurredAt: '2026-12-01T15:00:00Z',
    loggedAt: '2026-12-01T15:01:00Z',
    loggedBy: people.ana.id,
    linkReason: 'domain',
    permalink: null,
    direction: 'inbound',
    source: { provider: 'gmail', mailbox: people.ana.email, providerId: `gm-${id}`, messageId, threadId: null },
    snippet: null,
    participants: ['jane@acme.com', people.ana.email],
    unlinkedAt: null,
    unlinkedBy: null,
  };
}

function poll(id: string, customerId: string): Poll {
  return {
    id,
    customerId,
    kind: 'csat',
    via: 'gmail',
    contactId: null,
    email: 'jane@acme.com',
    channelId: null,
    caseId: null,
    askedBy: people.ana.id,
    status: 'sent',
    sendAt: '2026-11-20T09:00:00Z',
    sentAt: '2026-11-20T09:00:00Z',
    expiresAt: '2026-12-20T09:00:00Z',
    answers: [{ respondent: 'jane@acme.com', score: 4, comment: null, answeredAt: '2026-11-21T09:00:00Z', updatedAt: '2026-11-21T09:00:00Z' }],
    error: null,
    createdAt: '2026-11-20T09:00:00Z',
  };
}

function supportCase(id: string, customerId: string): Case {
  return {
    id,
    customerId,
    text: 'The invoice was sent twice',
    openedBy: people.ana.id,
    openedAt: '2026-11-25T09:00:00Z',
    dueAt: '2026-12-05T09:00:00Z',
    status: 'open',
    escalatedAt: null,
    escalatedTo: null,
    closedAt: null,
    closedBy: null,
    closeNote: null,
  };
}
