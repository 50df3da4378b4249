import { afterAll } from 'vitest';
import { createDatabase, startPostgresServer, type PostgresServer, type TestDatabase } from './postgres-server.ts';

export type { TestDatabase };

export interface TestPostgres {
  /** A new, empty database on the test run's server. */
  createDatabase(): Promise<TestDatabase>;
}

/**
 * The PostgreSQL server a test file uses: GUANXI_TEST_DATABASE_URL if set,
 * otherwise a throwaway cluster of this test file's own, started on first use
 * (initdb into a temp folder, listening only on a Unix socket in it) and
 * stopped and deleted after the file's tests. Every database it created is
 * dropped then too. Call it at the top of a test file.
 *
 * With no PostgreSQL installed the tests fail, saying how to install it:
 * the PostgreSQL store is part of the product, so its tests never skip.
 */
export function usePostgres(): TestPostgres {
  let server: Promise<PostgresServer> | null = null;
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    if (!server) return;
    const started = await server.catch(() => null);
    for (const database of databases.splice(0)) await database.drop().catch(() => undefined);
    await started?.stop();
  }, 60_000);
  return {
    async createDatabase() {
      server ??= startPostgresServer();
      const database = await createDatabase(await server);
      databases.push(database);
      return database;
    },
  };
}

