import type { ChannelLink } from '../../domain/channel-link.ts';
import type { ChannelLinkRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { GroupIndex } from './group-index.ts';

export class LowdbChannelLinkRepo implements ChannelLinkRepo {
  readonly #records: Collection<ChannelLink>;
  readonly #byCustomer = new GroupIndex();

  constructor(records: Collection<ChannelLink>) {
    this.#records = records;
    for (const link of records.values()) this.#byCustomer.add(link.customerId, link.id);
  }

  async get(channelId: string): Promise<ChannelLink | null> {
    return this.#records.get(channelId) ?? null;
  }

  async byCustomer(customerId: string): Promise<ChannelLink[]> {
    const links: ChannelLink[] = [];
    for (const id of this.#byCustomer.ids(customerId)) {
      const link = this.#records.get(id);
      if (link) links.push(link);
    }
    return links;
  }

  async put(input: ChannelLink): Promise<void> {
    const link = this.#records.prepare(input);
    const previous = this.#records.get(link.id);
    if (previous) this.#byCustomer.remove(previous.customerId, previous.id);
    this.#byCustomer.add(link.customerId, link.id);
    await this.#records.set(link);
  }

  async moveCustomer(fromId: string, toId: string): Promise<number> {
    const moved = (await this.byCustomer(fromId)).map((link) => this.#records.prepare({ ...link, customerId: toId }));
    for (const link of moved) {
      this.#byCustomer.remove(fromId, link.id);
      this.#byCustomer.add(toId, link.id);
    }
    if (moved.length > 0) await this.#records.setMany(moved);
    return moved.length;
  }

  async remove(channelId: string): Promise<boolean> {
    const previous = this.#records.get(channelId);
    if (!previous) return false;
    this.#byCustomer.remove(previous.customerId, previous.id);
    await this.#records.delete([channelId]);
    return true;
  }
}
