import type { Member } from '../../domain/member.ts';
import type { MemberRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareByName } from './compare-text.ts';
import { normalizeAddresses } from '../normalize-address.ts';

export class LowdbMemberRepo implements MemberRepo {
  readonly #records: Collection<Member>;

  constructor(records: Collection<Member>) {
    this.#records = records;
  }

  async get(id: string): Promise<Member | null> {
    return this.#records.get(id) ?? null;
  }

  /** Ordered by name. */
  async list(): Promise<Member[]> {
    return Array.from(this.#records.values()).sort(compareByName);
  }

  async put(input: Member): Promise<void> {
    await this.#records.set(this.#records.prepare({ ...input, email: normalizeAddresses(input.email) }));
  }
}
