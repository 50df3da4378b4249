import { lastAnsweredAt, type Poll } from '../../domain/poll.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { PollRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareIds, compareInstants } from './compare-instants.ts';
import { instantMs } from '../../time/instant.ts';
import { GroupIndex } from './group-index.ts';

/**
 * Polls are a few per customer a quarter: a customer's are indexed for its
 * card; `due`, once a minute, and `answeredSince`, once a day, scan.
 */
export class LowdbPollRepo implements PollRepo {
  readonly #records: Collection<Poll>;
  readonly #byCustomer = new GroupIndex();

  constructor(records: Collection<Poll>) {
    this.#records = records;
    for (const poll of records.values()) this.#byCustomer.add(poll.customerId, poll.id);
  }

  async get(id: string): Promise<Poll | null> {
    return this.#records.get(id) ?? null;
  }

  async byCustomer(customerId: string): Promise<Poll[]> {
    const polls: Poll[] = [];
    for (const id of this.#byCustomer.ids(customerId)) {
      const poll = this.#records.get(id);
      if (poll) polls.push(poll);
    }
    return polls.sort((a, b) => compareInstants(b.createdAt, a.createdAt) || compareIds(b.id, a.id));
  }

  async due(now: Date): Promise<Poll[]> {
    const cutoff = now.getTime();
    const due: Poll[] = [];
    for (const poll of this.#records.values()) if (poll.status === 'scheduled' && instantMs(poll.sendAt) <= cutoff) due.push(poll);
    return due.sort((a, b) => compareInstants(a.sendAt, b.sendAt) || compareIds(a.id, b.id));
  }

  async answeredSince(since: Date): Promise<Poll[]> {
    const cutoff = since.getTime();
    const found: { poll: Poll; at: string }[] = [];
    for (const poll of this.#records.values()) {
      const at = lastAnsweredAt(poll);
      if (at !== null && instantMs(at) >= cutoff) found.push({ poll, at });
    }
    return found.sort((a, b) => compareInstants(b.at, a.at) || compareIds(a.poll.id, b.poll.id)).map(({ poll }) => poll);
  }

  async insert(input: Poll): Promise<void> {
    const poll = this.#records.prepare(input);
    if (this.#records.get(poll.id)) throw new ConflictError(`A poll with the id ${poll.id} already exists.`);
    this.#byCustomer.add(poll.customerId, poll.id);
    await this.#records.set(poll);
  }

  async update(input: Poll): Promise<void> {
    const poll = this.#records.prepare(input);
    const previous = this.#records.get(poll.id);
    if (!previous) throw new NotFoundError(`There is no poll with the id ${poll.id}.`);
    await this.#replace(previous, poll);
  }

  /** Read, changed and set in memory with no await between, so no other change comes in between. */
  async amend(id: string, change: (poll: Poll) => Poll | null): Promise<Poll | null> {
    const current = this.#records.get(id);
    const changed = current ? change(current) : null;
    if (!changed) return null;
    const poll = this.#records.prepare(changed);
    await this.#replace(current!, poll);
    return poll;
  }

  /** In memory and the index at once; resolves once the journal has it. */
  #replace(previous: Poll, poll: Poll): Promise<void> {
    this.#byCustomer.remove(previous.customerId, previous.id);
    this.#byCustomer.add(poll.customerId, poll.id);
    return this.#records.set(poll);
  }

  async moveCustomer(fromId: string, toId: string): Promise<number> {
    const moved = (await this.byCustomer(fromId)).map((poll) => this.#records.prepare({ ...poll, customerId: toId }));
    for (const poll of moved) {
      this.#byCustomer.remove(fromId, poll.id);
      this.#byCustomer.add(toId, poll.id);
    }
    if (moved.length > 0) await this.#records.setMany(moved);
    return moved.length;
  }
}
