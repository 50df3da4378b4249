import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { notAMessage, type Interaction } from '../../../src/domain/interaction.ts';
import type { Logger } from '../../../src/logger.ts';
import { defaultCompactionLimits } from '../../../src/store/lowdb/collection.ts';
import { loadCollections } from '../../../src/store/lowdb/load-collections.ts';
import { openLowdbStore } from '../../../src/store/lowdb/open-lowdb-store.ts';
import { scanInWorker } from '../../../src/store/lowdb/scan-in-worker.ts';
import type { Store } from '../../../src/store/store.ts';

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const customers: Customer[] = ['acme', 'beta', 'gamma'].map((name) => ({
  id: `cus_${name}`, name, domains: [`${name}.com`], ownerId: null, createdAt: '2025-01-01T00:00:00.000Z', createdBy: 'U1',
}));

/** A mix of what timelines hold: notes out of order and tied, mail known by Message-ID or by provider id, a Slack thread, an unlinked one. */
function interactions(): Interaction[] {
  const at = (day: number, minute = 0) => new Date(Date.UTC(2025, 5, day, 9, minute)).toISOString();
  const base = { kind: 'note', summary: 'note', loggedBy: 'U1', linkReason: 'manual', permalink: null, ...notAMessage } as const;
  const list: Interaction[] = [];
  for (let i = 0; i < 60; i++) {
    const customerId = customers[i % 3]!.id;
    const day = 1 + ((i * 7) % 20);
    list.push({ ...base, id: `int_${i}`, customerId, summary: `note ${i}`, occurredAt: at(day), loggedAt: at(day, i % 2) });
  }
  const mail = { ...base, kind: 'email' as const, linkReason: 'domain' as const, direction: 'inbound' as const, snippet: 'hi', participants: ['jane@acme.com'] };
  list.push({ ...mail, id: 'int_mail', customerId: 'cus_acme', occurredAt: at(25), loggedAt: at(25), source: { provider: 'gmail', mailbox: 'ana@ourteam.io', providerId: 'g1', messageId: 'm1@acme.com', threadId: 't1' } });
  list.push({ ...mail, id: 'int_mail_2', customerId: 'cus_beta', occurredAt: at(25), loggedAt: at(25), source: { provider: 'gmail', mailbox: 'bo@ourteam.io', providerId: 'g2', messageId: 'm1@acme.com', threadId: 't2' } });
  list.push({ ...mail, id: 'int_graph', customerId: 'cus_acme', occurredAt: at(26), loggedAt: at(26), source: { provider: 'outlook', mailbox: 'ana@ourteam.io', providerId: 'o1', messageId: null, threadId: null } });
  list.push({ ...mail, id: 'int_gone', customerId: 'cus_gamma', occurredAt: at(27), loggedAt: at(27), unlinkedAt: at(28), unlinkedBy: 'U1', source: { provider: 'gmail', mailbox: 'ana@ourteam.io', providerId: 'g3', messageId: 'm3@gamma.com', threadId: null } });
  return list;
}

/** Whether the interactions of the folder are read by the worker and kept as lines, or read here one object each. */
async function keptAsLines(dir: string): Promise<boolean> {
  const none = () => null;
  const { built } = await loadCollections(dir, { log: quiet, limits: defaultCompactionLimits, scanFromBytes: 0 }, {
    customers: none, contacts: none, reminders: none, members: none, deliveries: none, suggestions: none, blocks: none, channels: none, mailboxes: none, polls: none, cases: none, deals: none, jobRuns: none, digests: none,
    interactions: (records) => records.scanned !== null,
  });
  return built.interactions;
}

/** Everything the store says about interactions, to compare two ways of loading one folder. */
async function view(store: Store) {
  const seen: unknown[] = [];
  for (const { id } of customers) seen.push(id, await store.interactions.countByCustomer(id), await store.interactions.byCustomer(id, 100));
  for (const messageId of ['m1@acme.com', 'M3@gamma.com', 'none']) seen.push(await store.interactions.byMessageId(messageId));
  for (const id of ['int_0', 'int_59', 'int_gone', 'int_none']) seen.push(await store.interactions.get(id));
  return seen;
}

/** Changes of each kind that a snapshot kept as lines meets: a line unlinked, a line moved in time, a record added, a message added. */
async function changeLines(store: Store): Promise<{ first: Interaction; inserted: Interaction[] }> {
  const first = (await store.interactions.get('int_3'))!;
  await store.interactions.update({ ...first, unlinkedAt: '2025-07-01T00:00:00.000Z', unlinkedBy: 'U1' });
  await store.interactions.update({ ...(await store.interactions.get('int_4'))!, occurredAt: '2025-06-30T00:00:00.000Z' });
  await store.interactions.insert({ ...first, id: 'int_new', summary: 'new é', occurredAt: '2025-06-15T09:00:00.000Z' });
  const inserted = await store.interactions.insertMessages([{ ...first, id: 'int_slack', kind: 'message', source: { provider: 'slack', mailbox: 'C1', providerId: 'C1:1', messageId: null, threadId: '1' } }]);
  return { first, inserted };
}

describe('lowdb store: interactions kept as the lines of their snapshot', () => {
  let root: string;
  let dir: string;
  // From any size: a store this small is otherwise read without a worker.
  const open = (at = dir) => openLowdbStore(at, { log: quiet, scanFromBytes: 0 });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'guanxi-lines-'));
    dir = join(root, 'data');
    const store = await open();
    for (const customer of customers) await store.customers.insert(customer);
    for (const interaction of interactions()) await store.interactions.insert(interaction);
    await store.close();
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads a snapshot as the store writes it from a worker, and answers as when every record is read here', async () => {
    expect(await keptAsLines(dir)).toBe(true);
    const lines = await open();
    const asLines = await view(lines);
    await lines.close();
    // The same records, laid out by hand: read the ordinary way, one object each.
    const other = join(root, 'other');
    await cp(dir, other, { recursive: true });
    const text = await readFile(join(other, 'interactions.json'), 'utf8');
    await writeFile(join(other, 'interactions.json'), JSON.stringify(JSON.parse(text), null, 2));
    expect(await keptAsLines(other)).toBe(false);
    const objects = await open(other);
    expect(asLines).toEqual(await view(objects));
    await objects.close();
  });

  it('replays a journal over the lines, writes both back at close, and reads the same again', async () => {
    const store = await open();
    const { first, inserted } = await changeLines(store);
    expect(inserted.map((i) => i.id)).toEqual(['int_slack']);
    const before = await view(store);

    // A crash: the journal holds the changes, the snapshot is as it was.
    const crashed = join(root, 'crashed');
    await cp(dir, crashed, { recursive: true });
    await rm(join(crashed, 'guanxi.lock'));
    expect(await keptAsLines(crashed)).toBe(true);
    const replayed = await open(crashed);
    expect(await view(replayed)).toEqual(before);
    expect(await replayed.interactions.insertMessages([{ ...first, id: 'int_slack_again', kind: 'message', source: { provider: 'slack', mailbox: 'C1', providerId: 'C1:1', messageId: null, threadId: '1' } }])).toEqual([]);
    await replayed.close();

    await store.close();
    // Written back as the store writes a snapshot, so it is kept as lines again, compaction after compaction.
    const layout = async () => (await readFile(join(dir, 'interactions.json'), 'utf8')).split('\n').filter((line) => !line.startsWith('  {'));
    expect(await layout()).toEqual(['[', ']', '']);
    expect(await keptAsLines(dir)).toBe(true);
    const reopened = await open();
    expect(await view(reopened)).toEqual(before);
    await reopened.interactions.insert({ ...first, id: 'int_newer', summary: 'newer' });
    await reopened.close();
    expect(await layout()).toEqual(['[', ']', '']);
    expect(await keptAsLines(dir)).toBe(true);
  });

  describe('the index saved beside the snapshot', () => {
    const snapshot = () => join(dir, 'interactions.json');
    const index = () => join(dir, 'interactions.index');
    /** What a start finds: from the index (nothing to save) or by a scan (its index to save), and where every line is in the file. */
    const read = async () => {
      const result = await scanInWorker(snapshot(), index(), 0);
      if (typeof result === 'string') throw new Error(`no lines read: ${result}`);
      const { lines } = result;
      const places = Array.from(lines.chunk, (chunk, n) => [lines.offsets[chunk]! + lines.start[n]!, lines.offsets[chunk]! + lines.end[n]!]);
      return { fromIndex: result.from === 'index', index: result.index, ids: lines.ids, places };
    };

    /** The index beside the snapshot is read at a start, which answers `answers`, and is what a scan of the snapshot finds. */
    const expectIndexAsScanned = async (answers: unknown[]) => {
      const indexed = await read();
      expect(indexed.fromIndex).toBe(true);
      const withIndex = await open();
      expect(await view(withIndex)).toEqual(answers);
      await withIndex.close();
      await rm(index());
      expect(indexed).toEqual({ ...(await read()), fromIndex: true });
    };

    it('is read at a start instead of scanning the snapshot, with the same answers', async () => {
      await stat(index());
      const indexed = await read();
      expect(indexed.fromIndex).toBe(true);
      const withIndex = await open();
      const answers = await view(withIndex);
      await withIndex.close();

      await rm(index());
      const scanned = await read();
      expect(scanned.fromIndex).toBe(false);
      expect(indexed).toEqual({ ...scanned, fromIndex: true });
      const withoutIndex = await open();
      expect(await view(withoutIndex)).toEqual(answers);
      await withoutIndex.close();
      // Nothing was written, so nothing was compacted: the index comes with the next snapshot written.
      await expect(stat(index())).rejects.toThrow();
      const writing = await open();
      await writing.interactions.insert({ ...(await writing.interactions.get('int_0'))!, id: 'int_later' });
      await writing.close();
      expect((await read()).fromIndex).toBe(true);
    });

    it('is written with each snapshot, from the lines kept and the records changed since, as a scan of the new snapshot finds it', async () => {
      const store = await open();
      const { first } = await changeLines(store);
      await store.customers.insert({ ...customers[0]!, id: 'cus_delta', name: 'delta', domains: ['delta.com'] });
      await store.interactions.moveCustomer('cus_beta', 'cus_delta');
      const answers = await view(store);
      await store.close();
      await expectIndexAsScanned(answers);

      // A snapshot laid out by hand is read as records, and the next one written is indexed from them.
      await writeFile(snapshot(), JSON.stringify(JSON.parse(await readFile(snapshot(), 'utf8')), null, 2));
      expect(await scanInWorker(snapshot(), index(), 0)).toBe('other');
      const byHand = await open();
      await byHand.interactions.insert({ ...first, id: 'int_after_hand', summary: 'after' });
      const after = await view(byHand);
      await byHand.close();
      await expectIndexAsScanned(after);
    });

    it('is not used once the snapshot is changed by hand: the snapshot is scanned, and the change is read', async () => {
      const text = await readFile(snapshot(), 'utf8');
      // Same size, so only the snapshot's hash tells it apart.
      const moved = text.replace('"id":"int_0","customerId":"cus_acme"', '"id":"int_0","customerId":"cus_beta"');
      expect(moved).not.toBe(text);
      await writeFile(snapshot(), moved);

      expect((await read()).fromIndex).toBe(false);
      const store = await open();
      expect((await store.interactions.byCustomer('cus_beta', 100)).map((i) => i.id)).toContain('int_0');
      expect((await store.interactions.byCustomer('cus_acme', 100)).map((i) => i.id)).not.toContain('int_0');
      await store.close();
    });

    it('left half written by a crash, is tidied away at the next start', async () => {
      const temp = join(dir, '.interactions.index.tmp');
      await writeFile(temp, 'guanxi interactions index 1\n{"bytes":');
      const store = await open();
      await expect(stat(temp)).rejects.toThrow();
      expect((await read()).fromIndex).toBe(true);
      await store.close();
    });

    it('that cannot be saved is told, and the snapshot is written all the same', async () => {
      await rm(index());
      await mkdir(join(index(), 'in-the-way'), { recursive: true });
      const warnings: string[] = [];
      const store = await openLowdbStore(dir, { log: { ...quiet, warn: (message) => void warnings.push(message) }, scanFromBytes: 0 });
      await store.interactions.insert({ ...(await store.interactions.get('int_0'))!, id: 'int_kept' });
      await store.close();

      expect(warnings).toEqual([`Could not save ${index()}; the next start reads ${snapshot()} in full instead`]);
      const reopened = await open();
      expect(await reopened.interactions.get('int_kept')).not.toBeNull();
      await reopened.close();
    });

    it('is not used when damaged, and the store opens as from the snapshot alone', async () => {
      const withIndex = await open();
      const answers = await view(withIndex);
      await withIndex.close();
      const bytes = await readFile(index());
      for (const damage of [bytes.subarray(0, bytes.length - 8), Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from([bytes[bytes.length - 1]! ^ 1])]), Buffer.from('not an index')]) {
        await writeFile(index(), damage);
        expect((await read()).fromIndex).toBe(false);
        const store = await open();
        expect(await view(store)).toEqual(answers);
        await store.close();
      }
    });
  });
});
