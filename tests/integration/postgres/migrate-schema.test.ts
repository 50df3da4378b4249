import { describe, expect, it } from 'vitest';
import { Database } from '../../../src/store/postgres/database.ts';
import { migrateSchema } from '../../../src/store/postgres/migrate-schema.ts';
import { migrations } from '../../../src/store/postgres/migrations.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();
const quiet = { info() {}, warn() {}, error() {} };

describe('schema migrations', () => {
  it('leave out an optional step the database refuses, with its reason, apply the rest, and try it again at the next start', async () => {
    const db = new Database((await postgres.createDatabase()).url, quiet);
    try {
      const steps = [
        { version: 1, name: 'a table', sql: 'create table first (id text primary key)' },
        { version: 2, name: 'an extension this server lacks', sql: 'create extension no_such_extension; create table never (id text)', optional: true },
        { version: 3, name: 'another table', sql: 'create table third (id text primary key)' },
      ];

      const first = await migrateSchema(db, steps);
      expect(first.applied).toEqual([1, 3]);
      expect(first.left.map(({ migration, reason }) => [migration.version, reason])).toEqual([[2, expect.stringContaining('no_such_extension')]]);
      const tables = await db.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`);
      expect(tables.rows.map((row) => row.name)).toEqual(['first', 'guanxi_migrations', 'third']);

      const again = await migrateSchema(db, steps);
      expect(again.applied).toEqual([]);
      expect(again.left.map(({ migration }) => migration.version)).toEqual([2]);
    } finally {
      await db.close();
    }
  });

  it("give searches trigram indexes where the server has pg_trgm, as Debian's does", async () => {
    const db = new Database((await postgres.createDatabase()).url, quiet);
    try {
      expect((await migrateSchema(db, migrations)).left).toEqual([]);
      const indexes = await db.query<{ name: string }>(`select indexname as name from pg_indexes where indexname like '%trigrams' order by indexname`);
      expect(indexes.rows.map((row) => row.name)).toEqual(['contacts_email_trigrams', 'contacts_name_trigrams', 'customer_domains_trigrams', 'customers_name_trigrams']);
    } finally {
      await db.close();
    }
  });
});
