import { memberSchema, type Member } from '../../domain/member.ts';
import type { MemberRepo } from '../store.ts';
import type { Database } from './database.ts';
import { normalizeAddresses } from '../normalize-address.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const membersTable: TableDefinition<Member> = {
  name: 'members',
  noun: 'member',
  schema: memberSchema,
  columns: [{ name: 'name', type: 'text', value: (member) => member.name }],
};

export class PostgresMemberRepo implements MemberRepo {
  readonly #rows: Rows<Member>;

  constructor(db: Database) {
    this.#rows = new Rows(db, membersTable);
  }

  get(id: string): Promise<Member | null> {
    return this.#rows.get(id);
  }

  /** Ordered by name. */
  list(): Promise<Member[]> {
    return this.#rows.select('order by lower(name), name, id', []);
  }

  put(input: Member): Promise<void> {
    return this.#rows.upsert(this.#rows.prepare({ ...input, email: normalizeAddresses(input.email) }));
  }
}
