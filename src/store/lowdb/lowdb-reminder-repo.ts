import type { Reminder } from '../../domain/reminder.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ReminderRepo } from '../store.ts';
import type { Collection } from './collection.ts';

/**
 * Reminders are few next to interactions (a handful per rep per week), so the
 * queries scan; only ids are indexed.
 */
export class LowdbReminderRepo implements ReminderRepo {
  readonly #records: Collection<Reminder>;

  constructor(records: Collection<Reminder>) {
    this.#records = records;
  }

  async get(id: string): Promise<Reminder | null> {
    return this.#records.get(id) ?? null;
  }

  async openByOwner(ownerId: string): Promise<Reminder[]> {
    return this.#open((reminder) => reminder.ownerId === ownerId);
  }

  async openByCustomer(customerId: string): Promise<Reminder[]> {
    return this.#open((reminder) => reminder.customerId === customerId);
  }

  async due(now: Date): Promise<Reminder[]> {
    const cutoff = now.getTime();
    return this.#open((reminder) => reminder.deliveredAt === null && Date.parse(reminder.dueAt) <= cutoff);
  }

  async insert(input: Reminder): Promise<void> {
    const reminder = this.#records.prepare(input);
    if (this.#records.get(reminder.id)) throw new ConflictError(`A reminder with the id ${reminder.id} already exists.`);
    await this.#records.set(reminder);
  }

  async update(input: Reminder): Promise<void> {
    const reminder = this.#records.prepare(input);
    if (!this.#records.get(reminder.id)) throw new NotFoundError(`There is no reminder with the id ${reminder.id}.`);
    await this.#records.set(reminder);
  }

  /** Open reminders that pass `keep`, soonest first. */
  #open(keep: (reminder: Reminder) => boolean): Reminder[] {
    const found: { due: number; reminder: Reminder }[] = [];
    for (const reminder of this.#records.values()) {
      if (reminder.status === 'open' && keep(reminder)) found.push({ due: Date.parse(reminder.dueAt), reminder });
    }
    found.sort((a, b) => a.due - b.due || compareIds(a.reminder.id, b.reminder.id));
    return found.map((item) => item.reminder);
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
