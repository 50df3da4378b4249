import type { Reminder } from '../../domain/reminder.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ReminderRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareIds, compareInstants } from './compare-instants.ts';
import { GroupIndex } from './group-index.ts';

/**
 * Reminders are few next to interactions (a handful per rep per week), but
 * every customer card asks for its customer's: those and a member's are
 * indexed; `due`, once a minute, scans.
 */
export class LowdbReminderRepo implements ReminderRepo {
  readonly #records: Collection<Reminder>;
  readonly #byCustomer = new GroupIndex();
  readonly #byOwner = new GroupIndex();

  constructor(records: Collection<Reminder>) {
    this.#records = records;
    for (const reminder of records.values()) this.#index(reminder);
  }

  async get(id: string): Promise<Reminder | null> {
    return this.#records.get(id) ?? null;
  }

  async openByOwner(ownerId: string): Promise<Reminder[]> {
    return open(this.#resolve(this.#byOwner.ids(ownerId)), () => true);
  }

  async openByCustomer(customerId: string): Promise<Reminder[]> {
    return open(this.#resolve(this.#byCustomer.ids(customerId)), () => true);
  }

  async due(now: Date): Promise<Reminder[]> {
    const cutoff = now.getTime();
    return open(this.#records.values(), (reminder) => reminder.deliveredAt === null && Date.parse(reminder.dueAt) <= cutoff);
  }

  async insert(input: Reminder): Promise<void> {
    const reminder = this.#records.prepare(input);
    if (this.#records.get(reminder.id)) throw new ConflictError(`A reminder with the id ${reminder.id} already exists.`);
    this.#index(reminder);
    await this.#records.set(reminder);
  }

  async update(input: Reminder): Promise<void> {
    const reminder = this.#records.prepare(input);
    const previous = this.#records.get(reminder.id);
    if (!previous) throw new NotFoundError(`There is no reminder with the id ${reminder.id}.`);
    this.#unindex(previous);
    this.#index(reminder);
    await this.#records.set(reminder);
  }

  async moveCustomer(fromId: string, toId: string): Promise<number> {
    const moved = this.#resolve(this.#byCustomer.ids(fromId)).map((reminder) => this.#records.prepare({ ...reminder, customerId: toId }));
    for (const reminder of moved) {
      this.#byCustomer.remove(fromId, reminder.id);
      this.#byCustomer.add(toId, reminder.id);
    }
    if (moved.length > 0) await this.#records.setMany(moved);
    return moved.length;
  }

  #index(reminder: Reminder): void {
    this.#byCustomer.add(reminder.customerId, reminder.id);
    this.#byOwner.add(reminder.ownerId, reminder.id);
  }

  #unindex(reminder: Reminder): void {
    this.#byCustomer.remove(reminder.customerId, reminder.id);
    this.#byOwner.remove(reminder.ownerId, reminder.id);
  }

  #resolve(ids: Iterable<string>): Reminder[] {
    const reminders: Reminder[] = [];
    for (const id of ids) {
      const reminder = this.#records.get(id);
      if (reminder) reminders.push(reminder);
    }
    return reminders;
  }
}

/** The open reminders of `reminders` that pass `keep`, soonest first. */
function open(reminders: Iterable<Reminder>, keep: (reminder: Reminder) => boolean): Reminder[] {
  const found: Reminder[] = [];
  for (const reminder of reminders) if (reminder.status === 'open' && keep(reminder)) found.push(reminder);
  return found.sort((a, b) => compareInstants(a.dueAt, b.dueAt) || compareIds(a.id, b.id));
}
