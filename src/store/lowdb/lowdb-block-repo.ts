import type { Block } from '../../domain/block.ts';
import type { BlockRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';

/** Blocked addresses and `@domain`s, by id; a team has a few dozen. */
export class LowdbBlockRepo implements BlockRepo {
  readonly #records: Collection<Block>;

  constructor(records: Collection<Block>) {
    this.#records = records;
  }

  /** Ordered by id: `@domain`s first, then addresses, alphabetically. */
  async list(): Promise<Block[]> {
    return Array.from(this.#records.values()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(input: Block): Promise<void> {
    await this.#records.set(this.#records.prepare({ ...input, id: normalizeAddresses(input.id) }));
  }

  async remove(id: string): Promise<boolean> {
    const key = normalizeAddress(id);
    if (!this.#records.get(key)) return false;
    await this.#records.delete([key]);
    return true;
  }
}
