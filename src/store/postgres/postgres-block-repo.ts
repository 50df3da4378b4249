import { blockSchema, type Block } from '../../domain/block.ts';
import type { BlockRepo } from '../store.ts';
import type { Database } from './database.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const blocksTable: TableDefinition<Block> = { name: 'blocks', noun: 'block', schema: blockSchema, columns: [] };

/** Blocked addresses and `@domain`s, by id; a team has a few dozen. */
export class PostgresBlockRepo implements BlockRepo {
  readonly #rows: Rows<Block>;

  constructor(db: Database) {
    this.#rows = new Rows(db, blocksTable);
  }

  /** Ordered by id: `@domain`s first, then addresses, alphabetically. */
  list(): Promise<Block[]> {
    return this.#rows.select('order by id', []);
  }

  put(input: Block): Promise<void> {
    return this.#rows.upsert(this.#rows.prepare({ ...input, id: normalizeAddresses(input.id) }));
  }

  remove(id: string): Promise<boolean> {
    return this.#rows.delete(normalizeAddress(id));
  }
}
