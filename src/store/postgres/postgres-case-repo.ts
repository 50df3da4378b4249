import { caseSchema, type Case } from '../../domain/case.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { CaseRepo } from '../store.ts';
import { isUniqueViolation, type Database } from './database.ts';
import { Rows, type TableDefinition } from './rows.ts';
import { recordsByCustomer, type SameTurn } from './same-turn.ts';

export const casesTable: TableDefinition<Case> = {
  name: 'cases',
  noun: 'case',
  schema: caseSchema,
  columns: [
    { name: 'customer_id', type: 'text', value: (supportCase) => supportCase.customerId },
    { name: 'opened_at', type: 'timestamptz', value: (supportCase) => supportCase.openedAt },
    { name: 'due_at', type: 'timestamptz', value: (supportCase) => supportCase.dueAt },
    { name: 'open', type: 'boolean', value: (supportCase) => supportCase.status === 'open' },
    { name: 'escalated', type: 'boolean', value: (supportCase) => supportCase.escalatedAt !== null },
  ],
};

export class PostgresCaseRepo implements CaseRepo {
  readonly #rows: Rows<Case>;
  /** Customers' cases, those asked for in the same turn in one query. */
  readonly #byCustomer: SameTurn<Case>;

  constructor(db: Database) {
    this.#rows = new Rows(db, casesTable);
    this.#byCustomer = recordsByCustomer(this.#rows, 'order by opened_at desc, id desc');
  }

  get(id: string): Promise<Case | null> {
    return this.#rows.get(id);
  }

  byCustomer(customerId: string): Promise<Case[]> {
    return this.#byCustomer.get(customerId);
  }

  open(): Promise<Case[]> {
    return this.#rows.select('where open order by due_at, id', []);
  }

  overdue(now: Date): Promise<Case[]> {
    return this.#rows.select('where open and not escalated and due_at <= $1::timestamptz order by due_at, id', [now.toISOString()]);
  }

  async insert(input: Case): Promise<void> {
    const supportCase = this.#rows.prepare(input);
    try {
      await this.#rows.insert([supportCase]);
    } catch (error) {
      if (isUniqueViolation(error, 'cases_pkey')) throw new ConflictError(`A case with the id ${supportCase.id} already exists.`);
      throw error;
    }
  }

  async update(input: Case): Promise<void> {
    const supportCase = this.#rows.prepare(input);
    if (!(await this.#rows.update(supportCase))) throw new NotFoundError(`There is no case with the id ${supportCase.id}.`);
  }

  updateOpen(input: Case): Promise<boolean> {
    return this.#rows.update(this.#rows.prepare(input), { only: 'open' });
  }

  moveCustomer(fromId: string, toId: string): Promise<number> {
    return this.#rows.moveCustomer(fromId, toId);
  }
}
