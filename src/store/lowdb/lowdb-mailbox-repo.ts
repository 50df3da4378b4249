import type { Mailbox } from '../../domain/mailbox.ts';
import type { MailboxRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { GroupIndex } from './group-index.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';

export class LowdbMailboxRepo implements MailboxRepo {
  readonly #records: Collection<Mailbox>;
  /** Provider and address → ids; one, unless two records were put for one mailbox. */
  readonly #byAddress = new GroupIndex();
  readonly #byMember = new GroupIndex();

  constructor(records: Collection<Mailbox>) {
    this.#records = records;
    for (const mailbox of records.values()) this.#index(mailbox);
  }

  async get(id: string): Promise<Mailbox | null> {
    return this.#records.get(id) ?? null;
  }

  async byAddress(provider: Mailbox['provider'], address: string): Promise<Mailbox | null> {
    return this.#resolve(this.#byAddress.ids(addressKey(provider, normalizeAddress(address))))[0] ?? null;
  }

  async byMember(memberId: string): Promise<Mailbox[]> {
    return this.#resolve(this.#byMember.ids(memberId));
  }

  /** Ordered by id. */
  async list(): Promise<Mailbox[]> {
    return Array.from(this.#records.values()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(input: Mailbox): Promise<void> {
    await this.#put(input).written;
  }

  /** Read, changed and put in memory with no await between, so no other change comes in between. */
  async amend(id: string, change: (mailbox: Mailbox) => Mailbox | null): Promise<Mailbox | null> {
    const current = this.#records.get(id);
    const changed = current ? change(current) : null;
    if (!changed) return null;
    const { mailbox, written } = this.#put(changed);
    await written;
    return mailbox;
  }

  /** In memory and its indexes at once; `written` once the journal has it. */
  #put(input: Mailbox): { mailbox: Mailbox; written: Promise<void> } {
    const mailbox = this.#records.prepare({ ...input, address: normalizeAddresses(input.address) });
    const previous = this.#records.get(mailbox.id);
    if (previous) this.#unindex(previous);
    this.#index(mailbox);
    return { mailbox, written: this.#records.set(mailbox) };
  }

  #index(mailbox: Mailbox): void {
    this.#byAddress.add(addressKey(mailbox.provider, mailbox.address), mailbox.id);
    this.#byMember.add(mailbox.memberId, mailbox.id);
  }

  #unindex(mailbox: Mailbox): void {
    this.#byAddress.remove(addressKey(mailbox.provider, mailbox.address), mailbox.id);
    this.#byMember.remove(mailbox.memberId, mailbox.id);
  }

  #resolve(ids: Iterable<string>): Mailbox[] {
    const mailboxes: Mailbox[] = [];
    for (const id of ids) {
      const mailbox = this.#records.get(id);
      if (mailbox) mailboxes.push(mailbox);
    }
    return mailboxes;
  }
}

function addressKey(provider: Mailbox['provider'], address: string): string {
  return `${provider} ${address}`;
}
