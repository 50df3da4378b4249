import type { Customer } from '../../domain/customer.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { CustomerName, CustomerRepo } from '../store.ts';
import { assertMergeable } from '../assert-mergeable.ts';
import type { Collection } from './collection.ts';
import { compareByName } from './compare-text.ts';
import { GroupIndex } from './group-index.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Matches } from './rank-match.ts';
import { sortInTurns } from '../../sort-in-turns.ts';

export class LowdbCustomerRepo implements CustomerRepo {
  readonly #records: Collection<Customer>;
  /** Domain → id of the one customer that owns it. */
  readonly #byDomain = new Map<string, string>();
  readonly #byName = new GroupIndex();
  /**
   * Every customer not merged away, by name: made at the first list (at
   * 100,000 customers, a fifth of a second of sorting, done in turns), then
   * kept in order by each write.
   */
  #byNameOrder: Customer[] | null = null;
  #ordering: Promise<Customer[]> | null = null;
  /** Writes while there is no order to keep: an order being made meanwhile is made again. */
  #unorderedWrites = 0;

  constructor(records: Collection<Customer>) {
    this.#records = records;
    for (const customer of records.values()) this.#index(customer);
  }

  async get(id: string): Promise<Customer | null> {
    return this.#records.get(id) ?? null;
  }

  async byDomain(domain: string): Promise<Customer | null> {
    const id = this.#byDomain.get(normalizeAddress(domain));
    return id === undefined ? null : (this.#records.get(id) ?? null);
  }

  async byName(name: string): Promise<Customer[]> {
    return this.#resolve(this.#byName.ids(nameKey(name)));
  }

  async search(text: string, limit: number): Promise<Customer[]> {
    const matches = Matches.for<Customer>(text, limit, compareByName);
    return matches ? matches.offerAll(this.#records.values(), (customer) => (customer.mergedInto === undefined ? [customer.name, customer.domains] : null)) : [];
  }

  async names(): Promise<CustomerName[]> {
    return Array.from(this.#records.values()).filter((customer) => customer.mergedInto === undefined);
  }

  async list(): Promise<Customer[]> {
    return [...(this.#byNameOrder ?? (await this.#order()))];
  }

  #order(): Promise<Customer[]> {
    this.#ordering ??= (async () => {
      for (;;) {
        const writes = this.#unorderedWrites;
        const live = Array.from(this.#records.values()).filter((customer) => customer.mergedInto === undefined);
        const ordered = await sortInTurns(live, compareByName);
        if (writes === this.#unorderedWrites) return (this.#byNameOrder = ordered);
      }
    })().finally(() => {
      this.#ordering = null;
    });
    return this.#ordering;
  }

  async ownedBy(memberId: string): Promise<Customer[]> {
    return Array.from(this.#records.values())
      .filter((customer) => customer.ownerId === memberId && customer.mergedInto === undefined)
      .sort(compareByName);
  }

  async insert(input: Customer): Promise<void> {
    const customer = this.#records.prepare({ ...input, domains: normalizeAddresses(input.domains) });
    if (this.#records.get(customer.id)) throw new ConflictError(`A customer with the id ${customer.id} already exists.`);
    this.#assertDomainsFree(customer);
    this.#index(customer);
    await this.#records.set(customer);
  }

  async update(input: Customer): Promise<void> {
    const customer = this.#records.prepare({ ...input, domains: normalizeAddresses(input.domains) });
    const previous = this.#records.get(customer.id);
    if (!previous) throw new NotFoundError(`There is no customer with the id ${customer.id}.`);
    this.#assertDomainsFree(customer);
    this.#unindex(previous);
    this.#index(customer);
    await this.#records.set(customer);
  }

  /** Both records in one append, the redirect first, so that replaying it never sees a domain owned twice. */
  async markMerged(fromId: string, toId: string): Promise<string[]> {
    const { from, to } = assertMergeable(fromId, toId, this.#records.get(fromId), this.#records.get(toId));
    if (from.mergedInto === toId && from.domains.length === 0) return [];
    const redirect = this.#records.prepare({ ...from, mergedInto: toId, domains: [] });
    const target = this.#records.prepare({ ...to, domains: [...new Set([...to.domains, ...from.domains])] });
    this.#unindex(from);
    this.#unindex(to);
    this.#index(redirect);
    this.#index(target);
    await this.#records.setMany([redirect, target]);
    return [...from.domains];
  }

  #assertDomainsFree(customer: Customer): void {
    for (const domain of customer.domains) {
      const ownerId = this.#byDomain.get(domain);
      if (ownerId === undefined || ownerId === customer.id) continue;
      const owner = this.#records.get(ownerId);
      throw new ConflictError(`The domain ${domain} already belongs to ${owner?.name ?? 'another customer'} (${ownerId}).`);
    }
  }

  #index(customer: Customer): void {
    if (!this.#byNameOrder) this.#unorderedWrites++;
    else if (customer.mergedInto === undefined) this.#byNameOrder.splice(placeByName(this.#byNameOrder, customer), 0, customer);
    for (const domain of customer.domains) this.#byDomain.set(domain, customer.id);
    this.#byName.add(nameKey(customer.name), customer.id);
  }

  #unindex(customer: Customer): void {
    if (!this.#byNameOrder) this.#unorderedWrites++;
    else if (customer.mergedInto === undefined) {
      const at = placeByName(this.#byNameOrder, customer);
      if (this.#byNameOrder[at]?.id === customer.id) this.#byNameOrder.splice(at, 1);
    }
    for (const domain of customer.domains) this.#byDomain.delete(domain);
    this.#byName.remove(nameKey(customer.name), customer.id);
  }

  #resolve(ids: Iterable<string>): Customer[] {
    const customers: Customer[] = [];
    for (const id of ids) {
      const customer = this.#records.get(id);
      if (customer) customers.push(customer);
    }
    return customers;
  }
}

/** Where `customer` is, or would go, in `ordered` (by compareByName): a binary search. */
function placeByName(ordered: readonly Customer[], customer: Customer): number {
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareByName(ordered[middle]!, customer) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}
