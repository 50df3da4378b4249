import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { randomIds } from '../../../src/ids.ts';
import type { InboundMessage } from '../../../src/ingest/inbound-message.ts';
import { ingestMessages, type IngestDeps } from '../../../src/ingest/ingest.ts';
import { openLowdbStore } from '../../../src/store/lowdb/open-lowdb-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { FixedClock } from '../../support/fixed-clock.ts';

let counter = 0;
/** A mail as Gmail would hand it over, from Jane at Acme to Ana on our team unless said otherwise. */
function mail(overrides: Partial<InboundMessage> = {}): InboundMessage {
  counter++;
  return {
    provider: 'gmail',
    mailbox: 'ana@ourteam.io',
    loggedBy: 'U0ANA00001',
    providerId: `gm-${counter}`,
    messageId: `<m${counter}@mail.acme.com>`,
    threadId: `th-${counter}`,
    from: { email: 'jane@acme.com', name: 'Jane Doe' },
    to: [{ email: 'ana@ourteam.io', name: 'Ana Lima' }],
    cc: [],
    subject: 'Quote for 40 seats',
    snippet: 'Hi Ana, could you send the quote by Friday?',
    sentAt: new Date('2026-12-01T15:00:00Z'),
    bulkHeaders: {},
    permalink: null,
    channelCustomerId: null,
    ...overrides,
  };
}

describe('ingesting messages', () => {
  let dir: string;
  let store: Store;
  let deps: IngestDeps;
  let acme: Customer;
  let globex: Customer;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guanxi-ingest-'));
    store = await openLowdbStore(dir);
    deps = { store, clock: new FixedClock('2026-12-01T16:00:00Z'), ids: randomIds, internalDomains: ['ourteam.io'] };
    const base = { ownerId: null, createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'U0ANA00001' };
    acme = { id: 'cus_acme', name: 'Acme Corp', domains: ['acme.com'], ...base };
    globex = { id: 'cus_globex', name: 'Globex', domains: ['globex.com'], ...base };
    await store.customers.insert(acme);
    await store.customers.insert(globex);
    await store.contacts.insert({ id: 'con_bob', email: 'bob@gmail.com', name: 'Bob', customerId: globex.id, source: 'manual', createdAt: base.createdAt, createdBy: 'U0ANA00001' });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const timeline = (customer: Customer) => store.interactions.byCustomer(customer.id, 100);

  it("logs a customer's mail to their timeline with the headers, a snippet and why it was linked, never the body", async () => {
    const report = await ingestMessages(deps, [mail()]);
    expect(report.logged).toBe(1);
    const [logged] = await timeline(acme);
    expect(logged).toMatchObject({
      kind: 'email',
      summary: 'Quote for 40 seats',
      snippet: 'Hi Ana, could you send the quote by Friday?',
      direction: 'inbound',
      linkReason: 'domain',
      loggedBy: 'U0ANA00001',
      participants: ['jane@acme.com', 'ana@ourteam.io'],
      source: { provider: 'gmail', mailbox: 'ana@ourteam.io', providerId: expect.any(String), messageId: expect.stringMatching(/@mail\.acme\.com$/), threadId: expect.any(String) },
    });
  });

  it('makes an unknown person at a customer\'s domain a contact, marked as coming from mail, and then links by their address', async () => {
    await ingestMessages(deps, [mail({ from: { email: 'Jane@ACME.com', name: 'Jane Doe' } })]);
    expect(await store.contacts.byEmail('jane@acme.com')).toMatchObject({ name: 'Jane Doe', customerId: acme.id, source: 'mail' });
    await ingestMessages(deps, [mail()]);
    expect((await timeline(acme)).map((i) => i.linkReason)).toEqual(['exact_address', 'domain']);
  });

  it('resolves a sub-domain to its customer, and a free-mail address only through an exact contact', async () => {
    await ingestMessages(deps, [mail({ from: { email: 'ops@eu.acme.com', name: null } })]);
    await ingestMessages(deps, [mail({ from: { email: 'bob@gmail.com', name: 'Bob' } })]);
    await ingestMessages(deps, [mail({ from: { email: 'stranger@gmail.com', name: null } })]);
    expect(await timeline(acme)).toHaveLength(1);
    expect((await timeline(globex)).map((i) => i.linkReason)).toEqual(['exact_address']);
    expect(await store.suggestions.byDomain('gmail.com')).toBeNull();
  });

  it('puts a message that concerns two customers on both timelines, and the same message from a second mailbox nowhere new', async () => {
    const both = mail({ to: [{ email: 'ana@ourteam.io', name: null }, { email: 'kim@globex.com', name: 'Kim' }] });
    await ingestMessages(deps, [both]);
    const again = await ingestMessages(deps, [{ ...both, mailbox: 'bo@ourteam.io', loggedBy: 'U0BO000001', providerId: 'other-mailbox-id', messageId: both.messageId!.toUpperCase() }]);
    expect(again.logged).toBe(0);
    expect(again.skipped.already_logged).toBe(1);
    expect(await timeline(acme)).toHaveLength(1);
    expect(await timeline(globex)).toHaveLength(1);
  });

  it('does not store internal-only, blocklisted or bulk mail, nor mail that concerns no customer', async () => {
    await store.blocks.put({ id: '@acme.com', createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'U0ANA00001' });
    const report = await ingestMessages(deps, [
      mail({ from: { email: 'bo@ourteam.io', name: 'Bo' } }),
      mail(),
      mail({ from: { email: 'kim@globex.com', name: 'Kim' }, bulkHeaders: { listUnsubscribe: '<https://globex.com/unsub>' } }),
      mail({ from: { email: 'news@globex.com', name: null }, bulkHeaders: { precedence: 'bulk' } }),
      mail({ from: { email: 'no-reply@globex.com', name: null } }),
      mail({ from: { email: 'lee@initech.io', name: 'Lee' } }),
    ]);
    expect(report.skipped).toMatchObject({ internal: 1, blocked: 1, bulk: 3, no_customer: 1 });
    expect(await timeline(acme)).toEqual([]);
    expect(await timeline(globex)).toEqual([]);
  });

  it('does not log mail whose only people outside the team opted out, and logs mail they share with others', async () => {
    await store.contacts.insert({
      id: 'con_optout', email: 'kim@globex.com', name: 'Kim', customerId: globex.id, source: 'manual', createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'U0ANA00001',
      optedOut: { at: '2026-11-01T00:00:00.000Z', by: 'U0ANA00001' },
    });
    const report = await ingestMessages(deps, [
      mail({ from: { email: 'kim@globex.com', name: 'Kim' } }),
      mail({ from: { email: 'ana@ourteam.io', name: 'Ana' }, to: [{ email: 'kim@globex.com', name: 'Kim' }] }),
      mail({ from: { email: 'kim@globex.com', name: 'Kim' }, to: [{ email: 'jane@acme.com', name: 'Jane' }] }),
    ]);
    expect(report.skipped.opted_out).toBe(2);
    expect(report.logged).toBe(1);
    expect(await timeline(globex)).toHaveLength(1);
  });

  it('leaves out what is not an address, and logs the rest of the message', async () => {
    const report = await ingestMessages(deps, [mail({ to: [{ email: 'Ana Lima <ana@ourteam.io>', name: null }, { email: 'undisclosed-recipients:;', name: null }] })]);
    expect(report.logged).toBe(1);
    expect((await timeline(acme))[0]!.participants).toEqual(['jane@acme.com']);
    expect(await store.suggestions.pending(10)).toEqual([]);
  });

  it('suggests an unknown work domain once, counting its messages, and never makes it a customer by itself', async () => {
    await ingestMessages(deps, [mail({ from: { email: 'lee@initech.io', name: 'Lee' } }), mail({ from: { email: 'sam@initech.io', name: 'Sam' } })]);
    expect(await store.suggestions.pending(10)).toMatchObject([{ domain: 'initech.io', messageCount: 2, people: [{ email: 'lee@initech.io', name: 'Lee' }, { email: 'sam@initech.io', name: 'Sam' }] }]);
    expect(await store.customers.byDomain('initech.io')).toBeNull();
  });

  it('leaves a message a rep unlinked off the timeline through later syncs', async () => {
    const original = mail();
    await ingestMessages(deps, [original]);
    const [logged] = await timeline(acme);
    await store.interactions.update({ ...logged!, unlinkedAt: '2026-12-01T17:00:00.000Z', unlinkedBy: 'U0ANA00001' });
    await ingestMessages(deps, [original]);
    expect(await timeline(acme)).toEqual([]);
  });

  it('logs each message once when the same batch arrives twice at the same moment', async () => {
    const batch = [mail(), mail(), mail()];
    const [first, second] = await Promise.all([ingestMessages(deps, batch), ingestMessages(deps, batch)]);
    expect(first.logged + second.logged).toBe(3);
    expect(await timeline(acme)).toHaveLength(3);
  });
});
