import { StoreInvalidError } from '../../errors.ts';
import type { Database } from './database.ts';
import { lockSpace } from './lock-space.ts';
import type { Migration } from './migrations.ts';

/**
 * Brings the schema up to date: applies, in order, each migration that
 * guanxi_migrations does not list, all in one transaction. The transaction
 * first takes an advisory lock, so that of several instances starting at
 * once one migrates while the others wait, then find nothing left to do. A
 * failed step rolls every step back, but an optional one that fails is
 * undone alone and left out. Resolves with the versions it applied, and the
 * optional ones it left out with the database's reason.
 */
export async function migrateSchema(db: Database, migrations: readonly Migration[]): Promise<{ applied: number[]; left: { migration: Migration; reason: string }[] }> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1, 0)', [lockSpace.migrations]);
    await tx.query(`
      create table if not exists guanxi_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`);
    const { rows } = await tx.query<{ version: number }>('select version from guanxi_migrations order by version');
    const applied = new Set(rows.map((row) => row.version));
    const latest = Math.max(0, ...migrations.map((m) => m.version));
    const ahead = rows.filter((row) => row.version > latest);
    if (ahead.length > 0) {
      throw new StoreInvalidError([
        `The database has schema migration ${ahead.at(-1)!.version}, which this version of guanxi does not know (it knows up to ${latest}): ` +
          'a newer guanxi has used this database. Run that version, or a newer one.',
      ]);
    }
    const done: number[] = [];
    const left: { migration: Migration; reason: string }[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      if (migration.optional) {
        await tx.query('savepoint optional_migration');
        try {
          await tx.query(migration.sql);
        } catch (error) {
          await tx.query('rollback to savepoint optional_migration');
          left.push({ migration, reason: error instanceof Error ? error.message : String(error) });
          continue;
        }
      } else {
        await tx.query(migration.sql);
      }
      await tx.query('insert into guanxi_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    return { applied: done, left };
  });
}
