import type { Case } from '../../domain/case.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { CaseRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareIds, compareInstants } from './compare-instants.ts';
import { instantMs } from '../../time/instant.ts';
import { GroupIndex } from './group-index.ts';

/** Cases are few next to interactions: a customer's are indexed for its card; the open ones are scanned. */
export class LowdbCaseRepo implements CaseRepo {
  readonly #records: Collection<Case>;
  readonly #byCustomer = new GroupIndex();

  constructor(records: Collection<Case>) {
    this.#records = records;
    for (const supportCase of records.values()) this.#byCustomer.add(supportCase.customerId, supportCase.id);
  }

  async get(id: string): Promise<Case | null> {
    return this.#records.get(id) ?? null;
  }

  async byCustomer(customerId: string): Promise<Case[]> {
    const cases: Case[] = [];
    for (const id of this.#byCustomer.ids(customerId)) {
      const supportCase = this.#records.get(id);
      if (supportCase) cases.push(supportCase);
    }
    return cases.sort((a, b) => compareInstants(b.openedAt, a.openedAt) || compareIds(b.id, a.id));
  }

  async open(): Promise<Case[]> {
    return this.#open(() => true);
  }

  async overdue(now: Date): Promise<Case[]> {
    const cutoff = now.getTime();
    return this.#open((supportCase) => supportCase.escalatedAt === null && instantMs(supportCase.dueAt) <= cutoff);
  }

  async insert(input: Case): Promise<void> {
    const supportCase = this.#records.prepare(input);
    if (this.#records.get(supportCase.id)) throw new ConflictError(`A case with the id ${supportCase.id} already exists.`);
    this.#byCustomer.add(supportCase.customerId, supportCase.id);
    await this.#records.set(supportCase);
  }

  async update(input: Case): Promise<void> {
    const supportCase = this.#records.prepare(input);
    const previous = this.#records.get(supportCase.id);
    if (!previous) throw new NotFoundError(`There is no case with the id ${supportCase.id}.`);
    this.#byCustomer.remove(previous.customerId, previous.id);
    this.#byCustomer.add(supportCase.customerId, supportCase.id);
    await this.#records.set(supportCase);
  }

  async updateOpen(input: Case): Promise<boolean> {
    const supportCase = this.#records.prepare(input);
    const previous = this.#records.get(supportCase.id);
    if (!previous || previous.status !== 'open') return false;
    this.#byCustomer.remove(previous.customerId, previous.id);
    this.#byCustomer.add(supportCase.customerId, supportCase.id);
    await this.#records.set(supportCase);
    return true;
  }

  async moveCustomer(fromId: string, toId: string): Promise<number> {
    const moved = (await this.byCustomer(fromId)).map((supportCase) => this.#records.prepare({ ...supportCase, customerId: toId }));
    for (const supportCase of moved) {
      this.#byCustomer.remove(fromId, supportCase.id);
      this.#byCustomer.add(toId, supportCase.id);
    }
    if (moved.length > 0) await this.#records.setMany(moved);
    return moved.length;
  }

  /** Open cases that pass `keep`, the soonest due first. */
  #open(keep: (supportCase: Case) => boolean): Case[] {
    const found: Case[] = [];
    for (const supportCase of this.#records.values()) if (supportCase.status === 'open' && keep(supportCase)) found.push(supportCase);
    return found.sort((a, b) => compareInstants(a.dueAt, b.dueAt) || compareIds(a.id, b.id));
  }
}
