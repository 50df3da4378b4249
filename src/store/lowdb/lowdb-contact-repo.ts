import type { Contact } from '../../domain/contact.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ContactRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareByName } from './compare-text.ts';
import { GroupIndex } from './group-index.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Matches } from './rank-match.ts';
import { instantMs } from '../../time/instant.ts';

export class LowdbContactRepo implements ContactRepo {
  readonly #records: Collection<Contact>;
  /** Email → id of the one contact with that address. */
  readonly #byEmail = new Map<string, string>();
  readonly #byCustomer = new GroupIndex();

  constructor(records: Collection<Contact>) {
    this.#records = records;
    for (const contact of records.values()) this.#index(contact);
  }

  async get(id: string): Promise<Contact | null> {
    return this.#records.get(id) ?? null;
  }

  async byEmail(email: string): Promise<Contact | null> {
    const id = this.#byEmail.get(normalizeAddress(email));
    return id === undefined ? null : (this.#records.get(id) ?? null);
  }

  async byCustomer(customerId: string): Promise<Contact[]> {
    const contacts: Contact[] = [];
    for (const id of this.#byCustomer.ids(customerId)) {
      const contact = this.#records.get(id);
      if (contact) contacts.push(contact);
    }
    return contacts.sort(oldestFirst);
  }

  /** Best first, as customers: exact, prefix, then substring; then by name. */
  async search(text: string, limit: number): Promise<Contact[]> {
    const matches = Matches.for<Contact>(text, limit, (a, b) => compareByName(sortKey(a), sortKey(b)));
    return matches ? matches.offerAll(this.#records.values(), (contact) => [contact.name, [contact.email]]) : [];
  }

  async addresses(): Promise<{ email: string; customerId: string | null }[]> {
    return Array.from(this.#records.values());
  }

  async insert(input: Contact): Promise<void> {
    const contact = this.#records.prepare({ ...input, email: normalizeAddresses(input.email) });
    if (this.#records.get(contact.id)) throw new ConflictError(`A contact with the id ${contact.id} already exists.`);
    this.#assertEmailFree(contact);
    this.#index(contact);
    await this.#records.set(contact);
  }

  async update(input: Contact): Promise<void> {
    const contact = this.#records.prepare({ ...input, email: normalizeAddresses(input.email) });
    const previous = this.#records.get(contact.id);
    if (!previous) throw new NotFoundError(`There is no contact with the id ${contact.id}.`);
    this.#assertEmailFree(contact);
    this.#unindex(previous);
    this.#index(contact);
    await this.#records.set(contact);
  }

  async remove(id: string): Promise<boolean> {
    const contact = this.#records.get(id);
    if (!contact) return false;
    this.#unindex(contact);
    await this.#records.delete([id]);
    return true;
  }

  async moveCustomer(fromId: string, toId: string): Promise<number> {
    const moved = [...this.#byCustomer.ids(fromId)].map((id) => this.#records.prepare({ ...this.#records.get(id)!, customerId: toId }));
    for (const contact of moved) {
      this.#byCustomer.remove(fromId, contact.id);
      this.#byCustomer.add(toId, contact.id);
    }
    if (moved.length > 0) await this.#records.setMany(moved);
    return moved.length;
  }

  #assertEmailFree(contact: Contact): void {
    const ownerId = this.#byEmail.get(contact.email);
    if (ownerId !== undefined && ownerId !== contact.id) {
      throw new ConflictError(`The address ${contact.email} is already a contact (${ownerId}).`);
    }
  }

  #index(contact: Contact): void {
    this.#byEmail.set(contact.email, contact.id);
    if (contact.customerId !== null) this.#byCustomer.add(contact.customerId, contact.id);
  }

  #unindex(contact: Contact): void {
    this.#byEmail.delete(contact.email);
    if (contact.customerId !== null) this.#byCustomer.remove(contact.customerId, contact.id);
  }
}

/** By when they were added; the sort is stable, so contacts added at the same instant stay in the order they joined the customer. */
function oldestFirst(a: Contact, b: Contact): number {
  return instantMs(a.createdAt) - instantMs(b.createdAt);
}

function sortKey(contact: Contact): { name: string; id: string } {
  return { name: contact.name ?? contact.email, id: contact.id };
}
