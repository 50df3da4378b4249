import { contactSchema, type Contact } from '../../domain/contact.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ContactRepo } from '../store.ts';
import { containing, isUniqueViolation, type Database } from './database.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Rows, type TableDefinition } from './rows.ts';
import { recordsByCustomer, type SameTurn } from './same-turn.ts';

export const contactsTable: TableDefinition<Contact> = {
  name: 'contacts',
  noun: 'contact',
  schema: contactSchema,
  columns: [
    { name: 'email', type: 'text', value: (contact) => contact.email },
    { name: 'name_key', type: 'text', value: (contact) => contact.name?.toLowerCase() ?? null },
    { name: 'customer_id', type: 'text', value: (contact) => contact.customerId },
    { name: 'created_at', type: 'timestamptz', value: (contact) => contact.createdAt },
  ],
};

/** Best match first (exact, prefix, substring, over the name and the address), then by name, or address for the nameless. */
const searchSql = `
  select record from (
    select record, id, coalesce(name_key, email) as sort_key, least(
      case when name_key = $1 then 0 when starts_with(name_key, $1) then 1 when strpos(name_key, $1) > 0 then 2 end,
      case when email = $1 then 0 when starts_with(email, $1) then 1 when strpos(email, $1) > 0 then 2 end
    ) as rank
    from contacts
    where name_key like $3 or email like $3
  ) as ranked
  where rank is not null
  order by rank, sort_key, id
  limit $2`;

export class PostgresContactRepo implements ContactRepo {
  readonly #rows: Rows<Contact>;
  /** Customers' contacts, those asked for in the same turn in one query. */
  readonly #byCustomer: SameTurn<Contact>;

  constructor(db: Database) {
    this.#rows = new Rows(db, contactsTable);
    this.#byCustomer = recordsByCustomer(this.#rows, 'order by created_at, id');
  }

  get(id: string): Promise<Contact | null> {
    return this.#rows.get(id);
  }

  async byEmail(email: string): Promise<Contact | null> {
    return (await this.#rows.select('where email = $1', [normalizeAddress(email)]))[0] ?? null;
  }

  byCustomer(customerId: string): Promise<Contact[]> {
    return this.#byCustomer.get(customerId);
  }

  async search(text: string, limit: number): Promise<Contact[]> {
    const needle = text.trim().toLowerCase();
    if (needle === '' || limit <= 0) return [];
    const { rows } = await this.#rows.db.query<{ record: unknown }>(searchSql, [needle, limit, containing(needle)]);
    return rows.map((row) => this.#rows.parse(row.record));
  }

  async insert(input: Contact): Promise<void> {
    const contact = this.#prepare(input);
    try {
      await this.#rows.insert([contact]);
    } catch (error) {
      if (isUniqueViolation(error, 'contacts_pkey')) throw new ConflictError(`A contact with the id ${contact.id} already exists.`);
      throw await this.#emailTaken(error, contact);
    }
  }

  async update(input: Contact): Promise<void> {
    const contact = this.#prepare(input);
    let updated: boolean;
    try {
      updated = await this.#rows.update(contact);
    } catch (error) {
      throw await this.#emailTaken(error, contact);
    }
    if (!updated) throw new NotFoundError(`There is no contact with the id ${contact.id}.`);
  }

  remove(id: string): Promise<boolean> {
    return this.#rows.delete(id);
  }

  async addresses(): Promise<{ email: string; customerId: string | null }[]> {
    const { rows } = await this.#rows.db.query<{ email: string; customer_id: string | null }>('select email, customer_id from contacts');
    return rows.map((row) => ({ email: row.email, customerId: row.customer_id }));
  }

  moveCustomer(fromId: string, toId: string): Promise<number> {
    return this.#rows.moveCustomer(fromId, toId);
  }

  #prepare(input: Contact): Contact {
    return this.#rows.prepare({ ...input, email: normalizeAddresses(input.email) });
  }

  /** The ConflictError for a taken address, naming the contact that has it; any other error as it is. */
  async #emailTaken(error: unknown, contact: Contact): Promise<unknown> {
    if (!isUniqueViolation(error, 'contacts_email_key')) return error;
    const owner = await this.byEmail(contact.email);
    return new ConflictError(`The address ${contact.email} is already a contact${owner ? ` (${owner.id})` : ''}.`);
  }
}
