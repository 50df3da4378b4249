import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/cli/migrate.ts';
import { loadConfig } from '../../../src/config.ts';
import { notAMessage, type Interaction } from '../../../src/domain/interaction.ts';
import { openLowdbStore } from '../../../src/store/lowdb/open-lowdb-store.ts';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.ts';
import { collectionNames, type CollectionName, type Store } from '../../../src/store/store.ts';
import { MemoryLog } from '../../support/guanxi.ts';
import { usePostgres, type TestDatabase } from '../../support/postgres.ts';

const root = new URL('../../../', import.meta.url).pathname;
const postgres = usePostgres();

/** `npm run crm -- migrate …`, as an operator runs it. */
function crm(dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['src/cli/main.ts', ...args], { cwd: root, env: { PATH: process.env['PATH'], DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const at = '2026-03-02T10:00:00.000Z';

const mail = (id: string, customerId: string, messageId: string, extra: Partial<Interaction> = {}): Interaction => ({
  id,
  customerId,
  kind: 'email',
  summary: `About ${messageId}`,
  occurredAt: at,
  loggedAt: '2026-03-02T10:00:05.000Z',
  loggedBy: 'U0ANA',
  linkReason: 'domain',
  permalink: null,
  direction: 'inbound',
  source: { provider: 'gmail', mailbox: 'ana@ourteam.io', providerId: `gm-${id}`, messageId, threadId: 'th-1' },
  snippet: 'Hi Ana…',
  participants: ['jane@acme.com', 'ana@ourteam.io'],
  unlinkedAt: null,
  unlinkedBy: null,
  ...extra,
});

/** A few records of every collection, written through the lowdb store as the service writes them. */
async function fill(store: Store): Promise<void> {
  await store.members.put({ id: 'U0ANA', name: 'Ana Lima', email: 'ana@ourteam.io', tz: 'America/Los_Angeles', role: 'admin', managerId: null, createdAt: at, profileCheckedAt: at });
  await store.members.put({ id: 'terminal:bo', name: 'bo', email: null, tz: null, role: 'rep', managerId: 'U0ANA', createdAt: at, profileCheckedAt: null });
  await store.customers.insert({ id: 'cus_acme', name: 'Acme Corp', domains: ['acme.com', 'acme.co.uk'], ownerId: 'U0ANA', createdAt: at, createdBy: 'U0ANA' });
  await store.customers.insert({ id: 'cus_globex', name: 'Globex', domains: [], ownerId: null, createdAt: at, createdBy: 'terminal:bo' });
  await store.contacts.insert({ id: 'con_jane', email: 'jane@acme.com', name: 'Jane Doe', customerId: 'cus_acme', source: 'mail', createdAt: at, createdBy: 'U0ANA' });
  await store.contacts.insert({ id: 'con_lone', email: 'lone@gmail.com', name: null, customerId: null, source: 'manual', createdAt: at, createdBy: 'U0ANA' });
  await store.interactions.insert({ id: 'int_call', customerId: 'cus_acme', kind: 'call', summary: 'Talked pricing', occurredAt: '2026-03-01T09:00:00Z', loggedAt: '2026-03-01T09:05:00Z', loggedBy: 'U0ANA', linkReason: 'manual', permalink: null, ...notAMessage });
  await store.interactions.insertMessages([mail('int_m1', 'cus_acme', 'm1@acme.com'), mail('int_m1g', 'cus_globex', 'm1@acme.com'), mail('int_m2', 'cus_acme', 'm2@acme.com')]);
  await store.interactions.update(mail('int_m2', 'cus_acme', 'm2@acme.com', { unlinkedAt: '2026-03-03T00:00:00.000Z', unlinkedBy: 'U0ANA' }));
  await store.reminders.insert({ id: 'rem_due', customerId: 'cus_acme', ownerId: 'U0ANA', text: 'Send the quote', dueAt: '2026-03-05T17:00:00.000Z', status: 'open', deliveredAt: null, doneAt: null, createdAt: at });
  await store.reminders.insert({ id: 'rem_sent', customerId: 'cus_acme', ownerId: 'U0ANA', text: 'Call back', dueAt: '2026-03-01T17:00:00.000Z', status: 'open', deliveredAt: '2026-03-01T17:00:01.000Z', doneAt: null, createdAt: at });
  await store.reminders.insert({ id: 'rem_done', customerId: 'cus_globex', ownerId: 'terminal:bo', text: 'Renewal', dueAt: '2026-02-01T17:00:00.000Z', status: 'done', deliveredAt: null, doneAt: at, createdAt: at });
  await store.deliveries.firstSeen('slack-event:Ev1', new Date(at));
  await store.suggestions.change('initech.com', () => ({ id: 'sug_initech', domain: 'initech.com', status: 'pending', firstSeenAt: at, lastSeenAt: at, messageCount: 2, people: [{ email: 'bill@initech.com', name: 'Bill' }], seenBy: ['U0ANA'], decidedAt: null, decidedBy: null }));
  await store.blocks.put({ id: '@newsletter.io', createdAt: at, createdBy: 'U0ANA' });
  await store.channels.put({ id: 'C0ACMESHRD', customerId: 'cus_acme', linkedBy: 'U0ANA', linkedAt: at });
  await store.mailboxes.put({
    id: 'gmail:ana@ourteam.io', provider: 'gmail', address: 'ana@ourteam.io', memberId: 'U0ANA', status: 'active', refreshToken: 'v1.encrypted',
    cursor: '12345', watchExpiresAt: '2026-03-09T00:00:00.000Z', subscriptionId: null, lastSyncAt: at, loggedCount: 3, syncRequests: 0, lastError: null, lastErrorAt: null,
    backfill: { status: 'done', since: '2026-01-31T10:00:00.000Z', pageToken: null, scanned: 3, logged: 3, estimate: 3, progress: { channel: 'D0ANA', ts: '1.2' }, startedAt: at, finishedAt: at },
    connectedAt: at,
  });
}

async function everything(store: Store): Promise<Record<CollectionName, unknown[]>> {
  const all = {} as Record<CollectionName, unknown[]>;
  for (const collection of collectionNames) {
    const records: { id: string }[] = [];
    for await (const record of store.records(collection)) records.push(record);
    all[collection] = records.sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  return all;
}

describe('npm run crm -- migrate --to $DATABASE_URL', () => {
  let dir: string;
  let dataDir: string;
  let database: TestDatabase;
  const opened: Store[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guanxi-migrate-'));
    dataDir = join(dir, 'data');
    database = await postgres.createDatabase();
    const lowdb = await openLowdbStore(dataDir);
    await fill(lowdb);
    await lowdb.close();
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const openTarget = async () => {
    const store = await openPostgresStore(database.url, { log: new MemoryLog() });
    opened.push(store);
    return store;
  };

  it('copies every record of every collection, prints the counts side by side, and the records read back the same', async () => {
    const { code, out } = await crm(dataDir, 'migrate', '--to', database.url);

    expect(out).toContain('Every count matches');
    expect(code).toBe(0);
    expect(out).toMatch(/collection\s+DATA_DIR\s+PostgreSQL/);
    expect(out).toMatch(/interactions\s+4\s+4\n/);
    expect(out).toMatch(/customers\s+2\s+2\n/);
    expect(out).not.toContain('password');

    const source = await openLowdbStore(dataDir);
    opened.push(source);
    const target = await openTarget();
    expect(await everything(target)).toEqual(await everything(source));

    expect((await target.customers.byDomain('ACME.co.uk'))?.id).toBe('cus_acme');
    expect((await target.contacts.byEmail('jane@acme.com'))?.name).toBe('Jane Doe');
    expect((await target.interactions.byCustomer('cus_acme', 10)).map((i) => i.id)).toEqual(['int_m1', 'int_call']);
    expect((await target.reminders.due(new Date('2026-03-06T00:00:00Z'))).map((r) => r.id)).toEqual(['rem_due']);
    expect(await target.deliveries.firstSeen('slack-event:Ev1', new Date())).toBe(false);
    expect(await target.interactions.insertMessages([mail('int_again', 'cus_acme', 'm2@acme.com')])).toEqual([]);
    await expect(target.customers.insert({ id: 'cus_copy', name: 'Copy', domains: ['acme.com'], ownerId: null, createdAt: at, createdBy: 'U0ANA' })).rejects.toThrow(
      'The domain acme.com already belongs to Acme Corp (cus_acme).',
    );
  });

  it('leaves the planner statistics gathered, as after any bulk load', async () => {
    expect((await crm(dataDir, 'migrate', '--to', database.url)).code).toBe(0);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ relname: string; reltuples: number }>("select relname, reltuples from pg_class where relname in ('interactions', 'customers') order by relname");
    await client.end();
    // A table never analyzed has -1 here; its queries are planned blind.
    expect(rows).toEqual([
      { relname: 'customers', reltuples: 2 },
      { relname: 'interactions', reltuples: 4 },
    ]);
  });

  it('copies in batches, saying how far a large collection has got', async () => {
    const printed: string[] = [];

    const code = await migrate(['--to', database.url], loadConfig({ DATA_DIR: dataDir }), (line) => printed.push(line), new MemoryLog(), { batchSize: 2, progressEvery: 2 });

    expect(code).toBe(0);
    const source = await openLowdbStore(dataDir);
    opened.push(source);
    expect(await everything(await openTarget())).toEqual(await everything(source));
    expect(printed.filter((line) => line.startsWith('  interactions:'))).toEqual(['  interactions: 2 so far…', '  interactions: 4']);
    expect(printed).toContain('  blocks: 1');
  });

  it('says where a copy the database refused part-way stopped, and how to start again', async () => {
    // The schema first, for the trigger to sit on: the tables are still empty, as migrate wants them.
    const target = await openTarget();
    await target.close();
    opened.pop();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'could not extend file: No space left on device'; end $$`);
    await admin.query('create trigger refuse before insert on reminders for each row execute function refuse()');
    await admin.end();

    const { code, out } = await crm(dataDir, 'migrate', '--to', database.url);

    expect(code).toBe(1);
    expect(out).toContain('  interactions: 4\n');
    expect(out).toContain('The copy stopped at reminders, after 0 of them: could not extend file: No space left on device');
    expect(out).toMatch(/now holds part of the data, and .+ is as it was\. Once the cause is fixed, empty the database \(drop it and create it again\) and migrate again\./);
    expect(out).not.toContain('Every count matches');
    expect(await (await openTarget()).count('interactions')).toBe(4);
  });

  it('refuses a database that already holds data, and changes nothing in it', async () => {
    expect((await crm(dataDir, 'migrate', '--to', database.url)).code).toBe(0);

    const again = await crm(dataDir, 'migrate', '--to', database.url);

    expect(again.code).toBe(1);
    expect(again.out).toContain('already holds data (2 members, 2 customers, 2 contacts, 4 interactions');
    expect(again.out).toContain('migrate copies into an empty database only');
    expect(await (await openTarget()).count('interactions')).toBe(4);
  });

  it('refuses while guanxi runs on the data folder, saying which process holds it', async () => {
    opened.push(await openLowdbStore(dataDir));

    const { code, out } = await crm(dataDir, 'migrate', '--to', database.url);

    expect(code).toBe(1);
    expect(out).toContain(`Another guanxi process (pid ${process.pid}`);
    expect(await (await openTarget()).count('customers')).toBe(0);
  });

  it('says how to use it when the target is missing or is not PostgreSQL, and when there is no data folder', async () => {
    const missing = await crm(dataDir, 'migrate');
    const notPostgres = await crm(dataDir, 'migrate', '--to', 'mysql://localhost/guanxi');
    const noFolder = await crm(join(dir, 'nothing-here'), 'migrate', '--to', database.url);

    expect([missing.code, notPostgres.code, noFolder.code]).toEqual([1, 1, 1]);
    expect(missing.out).toContain('Usage: npm run crm -- migrate --to postgres://');
    expect(notPostgres.out).toContain('--to must be a PostgreSQL URL');
    expect(noFolder.out).toContain(`There is no data folder at ${join(dir, 'nothing-here')}`);
  });

  it('says which database it cannot reach, and how to fix the URL', async () => {
    const url = new URL(database.url);
    url.pathname = '/no_such_database';

    const { code, out } = await crm(dataDir, 'migrate', '--to', url.toString());

    expect(code).toBe(1);
    expect(out).toContain('DATABASE_URL: cannot use the database postgres@');
    expect(out).toContain('no_such_database');
    expect(out).toContain('create it with createdb');
  });
});
