import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openLowdbStore } from './lowdb/open-lowdb-store.ts';
import type { Store } from './store.ts';

/** The store the config asks for; its warnings (a torn journal line, a failed compaction) go to `log`. */
export function openStore(config: Config, log: Logger): Promise<Store> {
  return openLowdbStore(config.dataDir, { log });
}
