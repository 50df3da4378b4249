import type { Deal } from '../../domain/deal.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { DealRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareIds, compareInstants } from './compare-instants.ts';
import { instantMs } from '../../time/instant.ts';
import { GroupIndex } from './group-index.ts';

/** Deals are a few per customer: a customer's are indexed for its card; the lists for the digest scan. */
export class LowdbDealRepo implements DealRepo {
  readonly #records: Collection<Deal>;
  readonly #byCustomer = new GroupIndex();

  constructor(records: Collection<Deal>) {
    this.#records = records;
    for (const deal of records.values()) this.#byCustomer.add(deal.customerId, deal.id);
  }

  async get(id: string): Promise<Deal | null> {
    return this.#records.get(id) ?? null;
  }

  async byCustomer(customerId: string): Promise<Deal[]> {
    const deals: Deal[] = [];
    for (const id of this.#byCustomer.ids(customerId)) {
      const deal = this.#records.get(id);
      if (deal) deals.push(deal);
    }
    return newestFirst(deals);
  }

  async open(): Promise<Deal[]> {
    return newestFirst(this.#scan((deal) => deal.closedAt === null));
  }

  async changedSince(since: Date): Promise<Deal[]> {
    const cutoff = since.getTime();
    return newestFirst(this.#scan((deal) => instantMs(deal.updatedAt) >= cutoff));
  }

  async wonSince(since: Date): Promise<Deal[]> {
    const cutoff = since.getTime();
    const won = this.#scan((deal) => deal.stage === 'won' && deal.closedAt !== null && instantMs(deal.closedAt) >= cutoff);
    return won.sort((a, b) => compareInstants(b.closedAt!, a.closedAt!) || compareIds(a.id, b.id));
  }

  async insert(input: Deal): Promise<void> {
    const deal = this.#records.prepare(input);
    if (this.#records.get(deal.id)) throw new ConflictError(`A deal with the id ${deal.id} already exists.`);
    this.#byCustomer.add(deal.customerId, deal.id);
    await this.#records.set(deal);
  }

  async update(input: Deal): Promise<void> {
    const deal = this.#records.prepare(input);
    const previous = this.#records.get(deal.id);
    if (!previous) throw new NotFoundError(`There is no deal with the id ${deal.id}.`);
    this.#byCustomer.remove(previous.customerId, previous.id);
    this.#byCustomer.add(deal.customerId, deal.id);
    await this.#records.set(deal);
  }

  async moveCustomer(fromId: string, toId: string): Promise<number> {
    const moved = (await this.byCustomer(fromId)).map((deal) => this.#records.prepare({ ...deal, customerId: toId }));
    for (const deal of moved) {
      this.#byCustomer.remove(fromId, deal.id);
      this.#byCustomer.add(toId, deal.id);
    }
    if (moved.length > 0) await this.#records.setMany(moved);
    return moved.length;
  }

  #scan(keep: (deal: Deal) => boolean): Deal[] {
    const found: Deal[] = [];
    for (const deal of this.#records.values()) if (keep(deal)) found.push(deal);
    return found;
  }
}

function newestFirst(deals: Deal[]): Deal[] {
  return deals.sort((a, b) => compareInstants(b.updatedAt, a.updatedAt) || compareIds(a.id, b.id));
}
