import { dealSchema, type Deal } from '../../domain/deal.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { DealRepo } from '../store.ts';
import { isUniqueViolation, type Database } from './database.ts';
import { Rows, type TableDefinition } from './rows.ts';
import { recordsByCustomer, type SameTurn } from './same-turn.ts';

export const dealsTable: TableDefinition<Deal> = {
  name: 'deals',
  noun: 'deal',
  schema: dealSchema,
  columns: [
    { name: 'customer_id', type: 'text', value: (deal) => deal.customerId },
    { name: 'stage', type: 'text', value: (deal) => deal.stage },
    { name: 'updated_at', type: 'timestamptz', value: (deal) => deal.updatedAt },
    { name: 'closed_at', type: 'timestamptz', value: (deal) => deal.closedAt },
  ],
};

export class PostgresDealRepo implements DealRepo {
  readonly #rows: Rows<Deal>;
  /** Customers' deals, those asked for in the same turn in one query. */
  readonly #byCustomer: SameTurn<Deal>;

  constructor(db: Database) {
    this.#rows = new Rows(db, dealsTable);
    this.#byCustomer = recordsByCustomer(this.#rows, 'order by updated_at desc, id');
  }

  get(id: string): Promise<Deal | null> {
    return this.#rows.get(id);
  }

  byCustomer(customerId: string): Promise<Deal[]> {
    return this.#byCustomer.get(customerId);
  }

  open(): Promise<Deal[]> {
    return this.#rows.select('where closed_at is null order by updated_at desc, id', []);
  }

  changedSince(since: Date): Promise<Deal[]> {
    return this.#rows.select('where updated_at >= $1::timestamptz order by updated_at desc, id', [since.toISOString()]);
  }

  wonSince(since: Date): Promise<Deal[]> {
    return this.#rows.select("where stage = 'won' and closed_at >= $1::timestamptz order by closed_at desc, id", [since.toISOString()]);
  }

  async insert(input: Deal): Promise<void> {
    const deal = this.#rows.prepare(input);
    try {
      await this.#rows.insert([deal]);
    } catch (error) {
      if (isUniqueViolation(error, 'deals_pkey')) throw new ConflictError(`A deal with the id ${deal.id} already exists.`);
      throw error;
    }
  }

  async update(input: Deal): Promise<void> {
    const deal = this.#rows.prepare(input);
    if (!(await this.#rows.update(deal))) throw new NotFoundError(`There is no deal with the id ${deal.id}.`);
  }

  moveCustomer(fromId: string, toId: string): Promise<number> {
    return this.#rows.moveCustomer(fromId, toId);
  }
}
