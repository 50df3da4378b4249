import { reminderSchema, type Reminder } from '../../domain/reminder.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ReminderRepo } from '../store.ts';
import { isUniqueViolation, type Database } from './database.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const remindersTable: TableDefinition<Reminder> = {
  name: 'reminders',
  noun: 'reminder',
  schema: reminderSchema,
  columns: [
    { name: 'owner_id', type: 'text', value: (reminder) => reminder.ownerId },
    { name: 'customer_id', type: 'text', value: (reminder) => reminder.customerId },
    { name: 'due_at', type: 'timestamptz', value: (reminder) => reminder.dueAt },
    { name: 'open', type: 'boolean', value: (reminder) => reminder.status === 'open' },
    { name: 'delivered', type: 'boolean', value: (reminder) => reminder.deliveredAt !== null },
  ],
};

export class PostgresReminderRepo implements ReminderRepo {
  readonly #rows: Rows<Reminder>;

  constructor(db: Database) {
    this.#rows = new Rows(db, remindersTable);
  }

  get(id: string): Promise<Reminder | null> {
    return this.#rows.get(id);
  }

  openByOwner(ownerId: string): Promise<Reminder[]> {
    return this.#rows.select('where open and owner_id = $1 order by due_at, id', [ownerId]);
  }

  openByCustomer(customerId: string): Promise<Reminder[]> {
    return this.#rows.select('where open and customer_id = $1 order by due_at, id', [customerId]);
  }

  due(now: Date): Promise<Reminder[]> {
    return this.#rows.select('where open and not delivered and due_at <= $1::timestamptz order by due_at, id', [now.toISOString()]);
  }

  async insert(input: Reminder): Promise<void> {
    const reminder = this.#rows.prepare(input);
    try {
      await this.#rows.insert([reminder]);
    } catch (error) {
      if (isUniqueViolation(error, 'reminders_pkey')) throw new ConflictError(`A reminder with the id ${reminder.id} already exists.`);
      throw error;
    }
  }

  async update(input: Reminder): Promise<void> {
    const reminder = this.#rows.prepare(input);
    if (!(await this.#rows.update(reminder))) throw new NotFoundError(`There is no reminder with the id ${reminder.id}.`);
  }

  moveCustomer(fromId: string, toId: string): Promise<number> {
    return this.#rows.moveCustomer(fromId, toId);
  }
}
