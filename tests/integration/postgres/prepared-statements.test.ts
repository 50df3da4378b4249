import { describe, expect, it } from 'vitest';
import { Database } from '../../../src/store/postgres/database.ts';
import { MemoryLog } from '../../support/guanxi.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();

/** The statements prepared on the connection the next query gets: queries made one after another share one. */
async function prepared(db: Database): Promise<string[]> {
  return (await db.query<{ statement: string }>('select statement from pg_prepared_statements order by statement')).rows.map((row) => row.statement);
}

describe('statements sent to PostgreSQL', () => {
  it('go prepared, so that PostgreSQL parses and plans each one once per connection', async () => {
    const db = new Database((await postgres.createDatabase()).url, new MemoryLog());
    try {
      await db.query('select $1::int as n', [1]);
      const { rows } = await db.query<{ n: number }>('select $1::int as n', [2]);

      expect(rows).toEqual([{ n: 2 }]);
      expect(await prepared(db)).toEqual(['select $1::int as n']);
    } finally {
      await db.close();
    }
  });

  it('go unprepared from then on, with one warning, once a pooler in front has lost a prepared one', async () => {
    const log = new MemoryLog();
    const db = new Database((await postgres.createDatabase()).url, log);
    try {
      await db.query('select $1::int as n', [1]);
      // As a pooler in transaction mode does: the statement reaches a server connection that never prepared it.
      await db.query('deallocate all');

      const { rows } = await db.query<{ n: number }>('select $1::int as n', [2]);
      await db.query('select $1::int + 1 as n', [3]);

      expect(rows).toEqual([{ n: 2 }]);
      expect(await prepared(db)).toEqual([]);
      const warnings = log.lines.filter((line) => line.includes('did not keep a prepared statement'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('a connection pooler in transaction mode is in front');
    } finally {
      await db.close();
    }
  });
});
