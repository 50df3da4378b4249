import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import { UserInputError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { openLowdbStore } from '../store/lowdb/open-lowdb-store.ts';
import { number } from '../commands/render/format.ts';
import { copyStore, CopyStopped, describeContents, type CollectionCount } from '../store/postgres/copy-store.ts';
import { describeDatabase } from '../store/postgres/describe-database.ts';
import { openPostgresStore } from '../store/postgres/open-postgres-store.ts';

const usage = 'npm run crm -- migrate --to postgres://user:password@host:5432/database';

export interface MigrateOptions {
  /** Records per batch; tests make it small. */
  readonly batchSize?: number;
  /** Records between two progress lines of a collection; tests make it small. */
  readonly progressEvery?: number;
}

/**
 * `npm run crm -- migrate --to <url>`: copies the lowdb store in DATA_DIR into
 * an empty PostgreSQL database, then prints each collection's count on both
 * sides. The data folder stays locked meanwhile, so the service must be
 * stopped (its lock refuses the copy otherwise); its records are left as they are.
 * Resolves with the exit code: 1 if any count differs.
 */
export async function migrate(args: readonly string[], config: Config, print: (line: string) => void, log: Logger, options: MigrateOptions = {}): Promise<number> {
  const url = targetOf(args);
  const dataDir = resolve(config.dataDir);
  if (!(await stat(dataDir).then((s) => s.isDirectory(), () => false))) {
    throw new UserInputError(`There is no data folder at ${dataDir}: set DATA_DIR to the folder guanxi has been using, then migrate again.`);
  }
  const source = await openLowdbStore(dataDir, { log });
  try {
    const target = await openPostgresStore(url, { log });
    try {
      const held = await describeContents(target);
      if (held !== null) {
        throw new UserInputError(
          `The database ${describeDatabase(url)} already holds data (${held}). migrate copies into an empty database only, so that nothing is mixed or overwritten: ` +
            'point --to at a new database (such as one made with createdb), or empty this one.',
        );
      }
      print(`Copying the data in ${dataDir} to ${describeDatabase(url)}…`);
      const onCopied = (collection: string, records: number, done: boolean) => print(`  ${collection}: ${number(records)}${done ? '' : ' so far…'}`);
      let counts: CollectionCount[];
      try {
        counts = await copyStore(source, target, { ...options, onCopied });
      } catch (error) {
        if (!(error instanceof CopyStopped)) throw error;
        print(`The copy stopped at ${error.collection}, after ${number(error.written)} of them: ${error.reason}`);
        print(`${describeDatabase(url)} now holds part of the data, and ${dataDir} is as it was. Once the cause is fixed, empty the database (drop it and create it again) and migrate again.`);
        return 1;
      }
      print('');
      for (const line of countTable(counts)) print(line);
      const differ = counts.filter((count) => count.source !== count.target);
      if (differ.length > 0) {
        print(`The counts differ for ${differ.map((count) => count.collection).join(', ')}: the copy is not complete. Empty the database and migrate again.`);
        return 1;
      }
      print(`Every count matches. Set DATABASE_URL to this database and start guanxi; ${dataDir} is no longer used.`);
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

function targetOf(args: readonly string[]): string {
  const at = args.findIndex((arg) => arg === '--to' || arg.startsWith('--to='));
  const url = at === -1 ? undefined : args[at]!.startsWith('--to=') ? args[at]!.slice('--to='.length) : args[at + 1];
  const unknown = args.filter((arg, i) => i !== at && !(i === at + 1 && args[at] === '--to'));
  if (!url || unknown.length > 0) {
    throw new UserInputError(`migrate copies the data in DATA_DIR into a PostgreSQL database. Usage: ${usage}`);
  }
  if (!URL.canParse(url) || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
    throw new UserInputError(`--to must be a PostgreSQL URL. Usage: ${usage}`);
  }
  return url;
}

/** Each collection's count in the data folder beside the database's, aligned as a table. */
function countTable(counts: readonly CollectionCount[]): string[] {
  const rows = [['collection', 'DATA_DIR', 'PostgreSQL', ''], ...counts.map((c) => [c.collection, number(c.source), number(c.target), c.source === c.target ? '' : 'DIFFERENT'])];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map(([name, source, target, note]) => `  ${name!.padEnd(widths[0]!)}  ${source!.padStart(widths[1]!)}  ${target!.padStart(widths[2]!)}  ${note}`.trimEnd());
}
