import { mailboxSchema, type Mailbox } from '../../domain/mailbox.ts';
import type { MailboxRepo } from '../store.ts';
import type { Database } from './database.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const mailboxesTable: TableDefinition<Mailbox> = {
  name: 'mailboxes',
  noun: 'mailbox',
  schema: mailboxSchema,
  columns: [
    { name: 'provider', type: 'text', value: (mailbox) => mailbox.provider },
    { name: 'address', type: 'text', value: (mailbox) => mailbox.address },
    { name: 'member_id', type: 'text', value: (mailbox) => mailbox.memberId },
  ],
};

export class PostgresMailboxRepo implements MailboxRepo {
  readonly #rows: Rows<Mailbox>;

  constructor(db: Database) {
    this.#rows = new Rows(db, mailboxesTable);
  }

  get(id: string): Promise<Mailbox | null> {
    return this.#rows.get(id);
  }

  async byAddress(provider: Mailbox['provider'], address: string): Promise<Mailbox | null> {
    return (await this.#rows.select('where provider = $1 and address = $2 order by id limit 1', [provider, normalizeAddress(address)]))[0] ?? null;
  }

  byMember(memberId: string): Promise<Mailbox[]> {
    return this.#rows.select('where member_id = $1 order by id', [memberId]);
  }

  /** Ordered by id. */
  list(): Promise<Mailbox[]> {
    return this.#rows.select('order by id', []);
  }

  put(input: Mailbox): Promise<void> {
    return this.#rows.upsert(this.#rows.prepare(normalized(input)));
  }

  amend(id: string, change: (mailbox: Mailbox) => Mailbox | null): Promise<Mailbox | null> {
    return this.#rows.amend(id, (mailbox) => {
      const changed = change(mailbox);
      return changed && normalized(changed);
    });
  }
}

function normalized(mailbox: Mailbox): Mailbox {
  return { ...mailbox, address: normalizeAddresses(mailbox.address) };
}
