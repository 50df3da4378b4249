import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openLowdbStore } from './lowdb/open-lowdb-store.ts';
import { openPostgresStore } from './postgres/open-postgres-store.ts';
import type { Store } from './store.ts';

/**
 * The store the config asks for: PostgreSQL when DATABASE_URL is set (no
 * lowdb folder is opened, nor locked, so several instances can share the
 * database), the lowdb files in DATA_DIR otherwise. Its warnings (a torn
 * journal line, a lost connection) go to `log`.
 */
export function openStore(config: Config, log: Logger): Promise<Store> {
  if (config.databaseUrl !== null) return openPostgresStore(config.databaseUrl, { log });
  return openLowdbStore(config.dataDir, { log });
}
