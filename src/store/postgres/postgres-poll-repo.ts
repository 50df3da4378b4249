import { lastAnsweredAt, pollSchema, type Poll } from '../../domain/poll.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { PollRepo } from '../store.ts';
import { isUniqueViolation, type Database } from './database.ts';
import { Rows, type TableDefinition } from './rows.ts';
import { recordsByCustomer, type SameTurn } from './same-turn.ts';

export const pollsTable: TableDefinition<Poll> = {
  name: 'polls',
  noun: 'poll',
  schema: pollSchema,
  columns: [
    { name: 'customer_id', type: 'text', value: (poll) => poll.customerId },
    { name: 'created_at', type: 'timestamptz', value: (poll) => poll.createdAt },
    { name: 'scheduled', type: 'boolean', value: (poll) => poll.status === 'scheduled' },
    { name: 'send_at', type: 'timestamptz', value: (poll) => poll.sendAt },
    { name: 'last_answered_at', type: 'timestamptz', value: (poll) => lastAnsweredAt(poll) },
  ],
};

export class PostgresPollRepo implements PollRepo {
  readonly #rows: Rows<Poll>;
  /** Customers' polls, those asked for in the same turn in one query. */
  readonly #byCustomer: SameTurn<Poll>;

  constructor(db: Database) {
    this.#rows = new Rows(db, pollsTable);
    this.#byCustomer = recordsByCustomer(this.#rows, 'order by created_at desc, id desc');
  }

  get(id: string): Promise<Poll | null> {
    return this.#rows.get(id);
  }

  byCustomer(customerId: string): Promise<Poll[]> {
    return this.#byCustomer.get(customerId);
  }

  due(now: Date): Promise<Poll[]> {
    return this.#rows.select('where scheduled and send_at <= $1::timestamptz order by send_at, id', [now.toISOString()]);
  }

  answeredSince(since: Date): Promise<Poll[]> {
    return this.#rows.select('where last_answered_at >= $1::timestamptz order by last_answered_at desc, id', [since.toISOString()]);
  }

  async insert(input: Poll): Promise<void> {
    const poll = this.#rows.prepare(input);
    try {
      await this.#rows.insert([poll]);
    } catch (error) {
      if (isUniqueViolation(error, 'polls_pkey')) throw new ConflictError(`A poll with the id ${poll.id} already exists.`);
      throw error;
    }
  }

  async update(input: Poll): Promise<void> {
    const poll = this.#rows.prepare(input);
    if (!(await this.#rows.update(poll))) throw new NotFoundError(`There is no poll with the id ${poll.id}.`);
  }

  amend(id: string, change: (poll: Poll) => Poll | null): Promise<Poll | null> {
    return this.#rows.amend(id, change);
  }

  moveCustomer(fromId: string, toId: string): Promise<number> {
    return this.#rows.moveCustomer(fromId, toId);
  }
}
