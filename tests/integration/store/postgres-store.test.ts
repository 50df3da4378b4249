import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { ConfigError, GuanxiError, StoreInvalidError } from '../../../src/errors.ts';
import { storeContract } from '../../contract/store-contract.ts';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { MemoryLog } from '../../support/guanxi.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();

storeContract('postgres', async () => {
  const database = await postgres.createDatabase();
  const opened: Store[] = [];
  const open = async () => {
    const store = await openPostgresStore(database.url, { log: new MemoryLog() });
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    async cleanup() {
      for (const store of opened) await store.close();
      await database.drop();
    },
  };
});

describe('postgres store', () => {
  const acme: Customer = { id: 'cus_acme', name: 'Acme', domains: ['acme.com'], ownerId: null, createdAt: '2025-01-01T00:00:00Z', createdBy: 'U1' };
  const stores: Store[] = [];
  const open = async (url: string, log = new MemoryLog()) => {
    const store = await openPostgresStore(url, { log });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('migrates a new database once when several instances start at once', async () => {
    const { url } = await postgres.createDatabase();
    const logs = [new MemoryLog(), new MemoryLog(), new MemoryLog()];

    const opened = await Promise.all(logs.map((log) => open(url, log)));
    await opened[0]!.customers.insert(acme);

    expect(logs.flatMap((log) => log.lines)).toEqual(['info PostgreSQL schema migrated: #1, #2, #3, #4, #5 applied']);
    expect(await opened[2]!.customers.get('cus_acme')).toEqual(acme);
    const applied = await query(url, 'select version, name from guanxi_migrations');
    expect(applied).toEqual([
      { version: 1, name: 'every collection of the Store port' },
      { version: 2, name: 'satisfaction polls and cases' },
      { version: 3, name: 'deals' },
      { version: 4, name: 'job runs and digests sent' },
      { version: 5, name: 'trigram indexes, so that searching names, domains and addresses for a part of them reads no whole table' },
    ]);
  });

  it('refuses a database that a newer guanxi has migrated, and changes nothing', async () => {
    const { url } = await postgres.createDatabase();
    await (await open(url)).close();
    await query(url, "insert into guanxi_migrations (version, name) values (99, 'from the future')");

    const error = await open(url).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreInvalidError);
    expect((error as Error).message).toContain('The database has schema migration 99, which this version of guanxi does not know');
  });

  it('reports a row edited by hand into something invalid, naming the table, the row and the field', async () => {
    const { url } = await postgres.createDatabase();
    const store = await open(url);
    await store.customers.insert(acme);
    await query(url, `update customers set record = jsonb_set(record, '{createdAt}', '"yesterday"') where id = 'cus_acme'`);

    await store.customers.insert({ ...acme, id: 'cus_globex', name: 'Globex', domains: ['globex.com'] });

    // Asked for together, as a card asks for the records it names: only the edited one fails.
    const [error, globex] = await Promise.all([store.customers.get('cus_acme').catch((e: unknown) => e), store.customers.get('cus_globex')]);

    expect(error).toBeInstanceOf(StoreInvalidError);
    expect((error as StoreInvalidError).problems).toEqual(['table customers, row cus_acme: createdAt: Invalid ISO datetime']);
    expect(globex?.name).toBe('Globex');
  });

  it('refuses an invalid record as a programming error naming the field, and writes nothing', async () => {
    const store = await open((await postgres.createDatabase()).url);

    const error = await store.customers.insert({ ...acme, domains: ['not a domain'] }).catch((e: unknown) => e);

    expect(error).not.toBeInstanceOf(GuanxiError);
    expect((error as Error).message).toContain('Refusing to write an invalid customer cus_acme: domains.0: a domain such as acme.com');
    expect(await store.customers.get('cus_acme')).toBeNull();
  });

  it('runs a job on one instance only while it runs there, and on either once it is done', async () => {
    const { url } = await postgres.createDatabase();
    const [one, two] = await Promise.all([open(url), open(url)]);
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let started = false;

    const first = one!.runOnce('reminders', async () => {
      started = true;
      await held;
    });
    await expect.poll(() => started).toBe(true);
    const meanwhile = await two!.runOnce('reminders', async () => undefined);
    finish();

    expect([await first, meanwhile]).toEqual([true, false]);
    expect(await two!.runOnce('reminders', async () => undefined)).toBe(true);
  });

  it('holds many jobs at once, each querying the store, without running out of connections', async () => {
    const store = await open((await postgres.createDatabase()).url);
    const jobs = 25;
    let started = 0;
    let allStarted!: () => void;
    const together = new Promise<void>((resolve) => (allStarted = resolve));

    const ran = await Promise.all(
      Array.from({ length: jobs }, (_, i) =>
        store.runOnce(`job ${i}`, async () => {
          if (++started === jobs) allStarted();
          await together;
          await store.customers.list();
        }),
      ),
    );

    expect(ran).toEqual(Array.from({ length: jobs }, () => true));
  });

  it('lets a job run elsewhere once the instance running it loses its connection, which does not end the process', async () => {
    const { url } = await postgres.createDatabase();
    const log = new MemoryLog();
    const [one, two] = await Promise.all([open(url, log), open(url)]);
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let started = false;

    const first = one!.runOnce('reminders', async () => {
      started = true;
      await held;
    });
    await expect.poll(() => started).toBe(true);
    expect(await two!.runOnce('reminders', async () => undefined)).toBe(false);
    await query(url, "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid()");

    await expect.poll(() => two!.runOnce('reminders', async () => undefined)).toBe(true);
    finish();
    expect(await first).toBe(true);
    expect(log.lines.join('\n')).toContain('A PostgreSQL connection in use was lost');
    expect(await one!.runOnce('reminders', async () => undefined)).toBe(true);
  });

  it('says which database it cannot reach, and how to fix DATABASE_URL', async () => {
    const url = new URL((await postgres.createDatabase()).url);
    url.pathname = '/no_such_database';

    const error = await open(url.toString()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('DATABASE_URL: cannot use the database postgres@');
    expect((error as Error).message).toContain('/no_such_database: database "no_such_database" does not exist');
  });

  it('refuses to be used after close', async () => {
    const store = await open((await postgres.createDatabase()).url);
    await store.close();

    await expect(store.customers.insert(acme)).rejects.toThrow('The store is closed');
  });
});

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}
