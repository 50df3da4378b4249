import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { notAMessage, type Interaction } from '../../../src/domain/interaction.ts';
import { StoreInvalidError } from '../../../src/errors.ts';
import type { Logger } from '../../../src/logger.ts';
import { openLowdbStore, type LowdbStoreOptions } from '../../../src/store/lowdb/open-lowdb-store.ts';
import type { Store } from '../../../src/store/store.ts';

const acme: Customer = { id: 'cus_acme', name: 'Acme', domains: ['acme.com'], ownerId: 'U1', createdAt: '2025-01-01T00:00:00Z', createdBy: 'U1' };
const beta: Customer = { ...acme, id: 'cus_beta', name: 'Beta', domains: ['beta.com'] };
const gamma: Customer = { ...acme, id: 'cus_gamma', name: 'Gamma', domains: ['gamma.com'] };

/** An interaction as the version before mail wrote it: none of the mail fields. */
const oldNote = {
  id: 'int_old',
  customerId: 'cus_acme',
  kind: 'note',
  summary: 'Written before mail was logged',
  occurredAt: '2025-03-01T10:00:00Z',
  loggedAt: '2025-03-01T10:05:00Z',
  loggedBy: 'U1',
  linkReason: 'manual',
  permalink: null,
};

function note(id: string, summary = `note ${id}`): Interaction {
  return {
    ...(oldNote as Interaction),
    id,
    summary,
    ...notAMessage,
  };
}

const put = (record: object) => `{"put":${JSON.stringify(record)}}\n`;
const del = (id: string) => `{"delete":${JSON.stringify(id)}}\n`;
const snapshot = (records: readonly object[]) => `[\n${records.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`;

describe('lowdb store: snapshot and journal', () => {
  let root: string;
  let dir: string;
  const stores: Store[] = [];
  const notes: string[] = [];
  const log: Logger = { info: (m) => void notes.push(m), warn: (m) => void notes.push(m), error: (m) => void notes.push(m) };

  const open = async (options: LowdbStoreOptions = {}) => {
    const store = await openLowdbStore(dir, { log, ...options });
    stores.push(store);
    return store;
  };
  const path = (name: string) => join(dir, name);
  const files = async () => (await readdir(dir)).filter((name) => name !== 'guanxi.lock').sort();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'guanxi-journal-'));
    dir = join(root, 'data');
    await mkdir(dir, { recursive: true });
    notes.length = 0;
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('loads a folder written before interactions had mail fields, with their defaults, and writes them out at close', async () => {
    await writeFile(path('interactions.json'), snapshot([oldNote]));

    const store = await open();

    const loaded = await store.interactions.get('int_old');
    expect(loaded).toEqual({ ...oldNote, direction: null, source: null, snippet: null, participants: [], unlinkedAt: null, unlinkedBy: null });
    expect(await store.interactions.byCustomer('cus_acme', 10)).toEqual([loaded]);
    await store.interactions.insert(note('int_new'));
    await store.close();
    expect(JSON.parse(await readFile(path('interactions.json'), 'utf8'))).toEqual([loaded, note('int_new')]);
  });

  it('reads a snapshot as the store writes it a line at a time, and any other layout whole', async () => {
    const tricky = { ...acme, name: 'Acme, "the" [best]\n{corp}', domains: ['acme.com', 'acme.io'] };
    await writeFile(path('customers.json'), snapshot([tricky, beta]));
    await writeFile(path('members.json'), '[\r\n  {"id":"U1","name":"Ana","email":null,"tz":null,"role":"rep","managerId":null,"createdAt":"2025-01-01T00:00:00Z","profileCheckedAt":null}\r\n]\r\n');

    const store = await open();

    expect(await store.customers.list()).toEqual([tricky, beta]);
    expect((await store.members.list()).map((m) => m.name)).toEqual(['Ana']);
  });

  it('reports a line broken by hand in a snapshot as JSON.parse words it', async () => {
    const text = snapshot([acme, beta]).replace('"name":"Beta"', '"name":"Beta');
    await writeFile(path('customers.json'), text);

    const error = await open().catch((e: unknown) => e);

    expect((error as StoreInvalidError).problems).toEqual([expect.stringMatching(new RegExp(`^${escape(path('customers.json'))}: not valid JSON \\(.*JSON`))]);
    expect(await readFile(path('customers.json'), 'utf8')).toBe(text);
  });

  it('replays the journal over the snapshot: replaced records, removed ones, new ones', async () => {
    await writeFile(path('customers.json'), snapshot([acme, beta]));
    await writeFile(path('customers.journal'), put({ ...acme, name: 'Acme Inc' }) + put(gamma) + del('cus_beta') + del('cus_never'));

    const store = await open();

    expect((await store.customers.list()).map((c) => c.name)).toEqual(['Acme Inc', 'Gamma']);
    expect(await store.customers.byDomain('beta.com')).toBeNull();
    expect(notes).toEqual([]);
  });

  it('ignores a torn last line with a note, cuts it off, and appends after the lines it kept', async () => {
    const kept = put(acme);
    await writeFile(path('customers.journal'), `${kept}{"put":{"id":"cus_beta","name":"Be`);

    const first = await open();

    expect((await first.customers.list()).map((c) => c.id)).toEqual(['cus_acme']);
    expect(notes).toEqual([
      `${path('customers.journal')}: ignored its last line (2), an incomplete write of 34 bytes left by a crash before it was acknowledged`,
    ]);
    expect(await readFile(path('customers.journal'), 'utf8')).toBe(kept);
    await first.customers.insert(gamma);
    expect(await readFile(path('customers.journal'), 'utf8')).toBe(kept + put(gamma));
  });

  it('cuts a line torn inside a character at the right byte', async () => {
    const kept = put({ ...acme, name: 'Açme' });
    const torn = Buffer.from(put({ ...beta, name: 'Bétà' }));
    await writeFile(path('customers.journal'), Buffer.concat([Buffer.from(kept), torn.subarray(0, torn.indexOf('é') + 1)]));

    const store = await open();

    expect((await store.customers.list()).map((c) => c.name)).toEqual(['Açme']);
    expect(await readFile(path('customers.journal'), 'utf8')).toBe(kept);
  });

  it('keeps a complete last line that lacks its newline', async () => {
    await writeFile(path('customers.journal'), put(acme) + put(beta).trimEnd());

    const store = await open();
    await store.customers.insert(gamma);

    expect((await store.customers.list()).map((c) => c.id)).toEqual(['cus_acme', 'cus_beta', 'cus_gamma']);
    expect(notes).toEqual([]);
    expect(await readFile(path('customers.journal'), 'utf8')).toBe(put(acme) + put(beta) + put(gamma));
  });

  it('reports invalid journal lines by file, line and what is wrong, and changes no file', async () => {
    const text = put(acme) + '{"put": {"id": "cus_x",\n' + put({ ...beta, domains: ['Beta.com'] }) + '{"remove":"cus_acme"}\n\n' + put(gamma);
    await writeFile(path('customers.journal'), text);
    await writeFile(path('customers.json'), '[]\n');

    const error = await open().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreInvalidError);
    const journal = path('customers.journal');
    expect((error as StoreInvalidError).problems).toEqual([
      expect.stringMatching(new RegExp(`^${escape(journal)} line 2: not valid JSON \\(`)),
      `${journal} line 3 (id cus_beta): domains.0: a domain such as acme.com`,
      `${journal} line 4: should hold {"put": {…record…}} or {"delete": "id"}, but holds {"remove":"cus_acme"}`,
    ]);
    expect(await readFile(journal, 'utf8')).toBe(text);
    expect(await readdir(dir)).toEqual(['customers.journal', 'customers.json']);
  });

  it('reports a journal line that gives a customer a domain another one has, but not a clash a later line resolves', async () => {
    await writeFile(path('customers.json'), snapshot([acme, beta]));
    // Beta held acme.com for a while: the snapshot may be newer than those lines.
    await writeFile(path('customers.journal'), put({ ...beta, domains: ['beta.com', 'acme.com'] }) + put(beta) + put({ ...gamma, domains: ['gamma.com', 'acme.com'] }));

    const error = await open().catch((e: unknown) => e);

    expect((error as StoreInvalidError).problems).toEqual([
      `${path('customers.journal')} line 3 (id cus_gamma): domain acme.com is already used by ${path('customers.json')} record 0 (id cus_acme)`,
    ]);
  });

  it('finishes a compaction a crash interrupted: replays the frozen journal, then the new one, and tidies up', async () => {
    await writeFile(path('customers.json'), snapshot([acme]));
    await writeFile(path('customers.journal.old'), put(beta) + put({ ...acme, name: 'Acme Inc' }));
    await writeFile(path('customers.journal'), put(gamma) + put({ ...acme, name: 'Acme Group' }));
    await writeFile(path('.customers.json.tmp'), '[\n  {"id":"cus_half');

    const store = await open();

    expect((await store.customers.list()).map((c) => c.name)).toEqual(['Acme Group', 'Beta', 'Gamma']);
    // The compaction starts again at once, and may be writing a temp file of its own by now: the crash's is gone.
    expect(await readFile(path('.customers.json.tmp'), 'utf8').catch(() => null)).not.toBe('[\n  {"id":"cus_half');
    await store.close();
    expect(await files()).toEqual(['customers.json']);
    expect(JSON.parse(await readFile(path('customers.json'), 'utf8'))).toEqual([{ ...acme, name: 'Acme Group' }, beta, gamma]);
  });

  it('compacts in the background once the journal is long enough, and loses nothing', async () => {
    const store = await open({ compaction: { lines: 10 } });

    for (let n = 0; n < 35; n++) await store.interactions.insert(note(`int_${String(n).padStart(2, '0')}`));
    await until(() => existsSync(path('interactions.json')) && !existsSync(path('interactions.journal.old')));

    const inSnapshot = JSON.parse(await readFile(path('interactions.json'), 'utf8')) as unknown[];
    expect(inSnapshot.length).toBeGreaterThanOrEqual(10);
    const inJournal = (await readFile(path('interactions.journal'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    expect(inJournal.length).toBeLessThan(35);
    expect(inSnapshot.length + inJournal.length).toBeGreaterThanOrEqual(35);
    await store.close();

    const again = await open();
    expect(await again.interactions.countByCustomer('cus_acme')).toBe(35);
  });

  it('keeps every concurrent write while compactions freeze and replace the journal under them', async () => {
    const store = await open({ compaction: { lines: 3 } });

    await Promise.all(Array.from({ length: 120 }, (_, n) => store.interactions.insert(note(`int_${n}`))));
    await Promise.all(Array.from({ length: 120 }, (_, n) => store.interactions.update(note(`int_${n}`, `updated ${n}`))));
    await store.close();

    expect(await files()).toEqual(['interactions.json']);
    const again = await open();
    const timeline = await again.interactions.byCustomer('cus_acme', 1000);
    expect(timeline).toHaveLength(120);
    expect(timeline.every((interaction) => interaction.summary.startsWith('updated'))).toBe(true);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
