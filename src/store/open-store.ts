import type { Config } from '../config.ts';
import { openLowdbStore } from './lowdb/open-lowdb-store.ts';
import type { Store } from './store.ts';

/** The store the config asks for. */
export function openStore(config: Config): Promise<Store> {
  return openLowdbStore(config.dataDir);
}
