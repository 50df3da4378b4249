import { customerSchema, type Customer } from '../../domain/customer.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { assertMergeable } from '../assert-mergeable.ts';
import type { CustomerName, CustomerRepo } from '../store.ts';
import { containing, isUniqueViolation, type Database, type Queryable } from './database.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const customersTable: TableDefinition<Customer> = {
  name: 'customers',
  noun: 'customer',
  schema: customerSchema,
  columns: [
    { name: 'name_key', type: 'text', value: (customer) => nameKey(customer.name) },
    { name: 'owner_id', type: 'text', value: (customer) => customer.ownerId },
    { name: 'domains', type: 'text[]', value: (customer) => customer.domains },
  ],
};

/**
 * Best match first (exact, prefix, substring, over the name and each domain),
 * then by name. The customers holding the needle are found first by `like`
 * ($3), which the trigram indexes serve where the database has them.
 */
const searchSql = `
  select record from (
    select record, id, name_key, least(
      case when name_key = $1 then 0 when starts_with(name_key, $1) then 1 when strpos(name_key, $1) > 0 then 2 end,
      (select min(case when domain = $1 then 0 when starts_with(domain, $1) then 1 when strpos(domain, $1) > 0 then 2 end)
         from unnest(domains) as domain)
    ) as rank
    from customers
    where id in (select id from customers where name_key like $3 union select customer_id from customer_domains where domain like $3)
      and not record ? 'mergedInto'
  ) as ranked
  where rank is not null
  order by rank, name_key, id
  limit $2`;

export class PostgresCustomerRepo implements CustomerRepo {
  readonly #rows: Rows<Customer>;

  constructor(db: Database) {
    this.#rows = new Rows(db, customersTable);
  }

  get(id: string): Promise<Customer | null> {
    return this.#rows.get(id);
  }

  async byDomain(domain: string): Promise<Customer | null> {
    const found = await this.#rows.select('where id = (select customer_id from customer_domains where domain = $1)', [normalizeAddress(domain)]);
    return found[0] ?? null;
  }

  byName(name: string): Promise<Customer[]> {
    return this.#rows.select('where name_key = $1 order by id', [nameKey(name)]);
  }

  async search(text: string, limit: number): Promise<Customer[]> {
    const needle = text.trim().toLowerCase();
    if (needle === '' || limit <= 0) return [];
    const { rows } = await this.#rows.db.query<{ record: unknown }>(searchSql, [needle, limit, containing(needle)]);
    return rows.map((row) => this.#rows.parse(row.record));
  }

  /** A few fields, not records: they need no check against the schema, and a hundred thousand of them come at a fraction of the cost. */
  async names(): Promise<CustomerName[]> {
    const { rows } = await this.#rows.db.query<{ id: string; name: string; domains: string; created_at: string; not_duplicate_of: string[] | null }>(
      `select id, record->>'name' as name, array_to_string(domains, ' ') as domains, record->>'createdAt' as created_at, record->'notDuplicateOf' as not_duplicate_of
       from customers where not record ? 'mergedInto'`,
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      domains: row.domains ? row.domains.split(' ') : [],
      createdAt: row.created_at,
      ...(row.not_duplicate_of ? { notDuplicateOf: row.not_duplicate_of } : {}),
    }));
  }

  list(): Promise<Customer[]> {
    return this.#rows.select(`where not record ? 'mergedInto' order by name_key, id`, []);
  }

  ownedBy(memberId: string): Promise<Customer[]> {
    return this.#rows.select(`where owner_id = $1 and not record ? 'mergedInto' order by name_key, id`, [memberId]);
  }

  async insert(input: Customer): Promise<void> {
    const customer = this.#prepare(input);
    await this.#rows.db.transaction(async (tx) => {
      try {
        await this.#rows.insert([customer], { on: tx });
      } catch (error) {
        if (isUniqueViolation(error, 'customers_pkey')) throw new ConflictError(`A customer with the id ${customer.id} already exists.`);
        throw error;
      }
      await claimDomains(tx, customer);
    });
  }

  async update(input: Customer): Promise<void> {
    const customer = this.#prepare(input);
    await this.#rows.db.transaction(async (tx) => {
      // The update locks the row, so two updates of one customer take turns.
      if (!(await this.#rows.update(customer, { on: tx }))) throw new NotFoundError(`There is no customer with the id ${customer.id}.`);
      await tx.query('delete from customer_domains where customer_id = $1', [customer.id]);
      await claimDomains(tx, customer);
    });
  }

  async markMerged(fromId: string, toId: string): Promise<string[]> {
    return this.#rows.db.transaction(async (tx) => {
      // Locked in id order, so that two merges of the same pair take turns and never deadlock.
      const locked = await this.#rows.select('where id = any($1::text[]) order by id for update', [[fromId, toId]], tx);
      const { from, to } = assertMergeable(fromId, toId, locked.find((c) => c.id === fromId), locked.find((c) => c.id === toId));
      if (from.mergedInto === toId && from.domains.length === 0) return [];
      const redirect = this.#prepare({ ...from, mergedInto: toId, domains: [] });
      const target = this.#prepare({ ...to, domains: [...new Set([...to.domains, ...from.domains])] });
      await this.#rows.update(redirect, { on: tx });
      await this.#rows.update(target, { on: tx });
      await tx.query('update customer_domains set customer_id = $2 where customer_id = $1', [fromId, toId]);
      return from.domains;
    });
  }

  #prepare(input: Customer): Customer {
    return this.#rows.prepare({ ...input, domains: normalizeAddresses(input.domains) });
  }
}

/** The domains of customers copied from another store, in one statement; a domain already owned fails it. */
export async function insertDomains(tx: Queryable, customers: readonly Customer[]): Promise<void> {
  const owned = customers.flatMap((customer) => [...new Set(customer.domains)].map((domain) => [domain, customer.id] as const));
  await tx.query('insert into customer_domains (domain, customer_id) select * from unnest($1::text[], $2::text[])', [
    owned.map(([domain]) => domain),
    owned.map(([, id]) => id),
  ]);
}

/**
 * Gives each of the customer's domains to it, inside its transaction. A
 * domain another customer holds, even one whose transaction has not yet
 * committed (the insert waits for it), is not given: the caller's
 * transaction is then rolled back by the ConflictError.
 */
async function claimDomains(tx: Queryable, customer: Customer): Promise<void> {
  // Sorted: two transactions claiming the same domains wait on each other in one order, and never deadlock.
  const domains = [...new Set(customer.domains)].sort();
  if (domains.length === 0) return;
  const { rows } = await tx.query<{ domain: string }>(
    `insert into customer_domains (domain, customer_id) select unnest($1::text[]), $2 on conflict (domain) do nothing returning domain`,
    [domains, customer.id],
  );
  if (rows.length === domains.length) return;
  const claimed = new Set(rows.map((row) => row.domain));
  const taken = domains.find((domain) => !claimed.has(domain))!;
  const { rows: owners } = await tx.query<{ id: string; name: string }>(
    `select c.id, c.record->>'name' as name from customer_domains d join customers c on c.id = d.customer_id where d.domain = $1`,
    [taken],
  );
  const owner = owners[0];
  throw new ConflictError(
    owner ? `The domain ${taken} already belongs to ${owner.name} (${owner.id}).` : `The domain ${taken} already belongs to another customer.`,
  );
}

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}
