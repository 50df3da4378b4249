import { channelLinkSchema, type ChannelLink } from '../../domain/channel-link.ts';
import type { ChannelLinkRepo } from '../store.ts';
import type { Database } from './database.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const channelLinksTable: TableDefinition<ChannelLink> = {
  name: 'channel_links',
  noun: 'channel link',
  schema: channelLinkSchema,
  columns: [
    { name: 'customer_id', type: 'text', value: (link) => link.customerId },
    { name: 'linked_at', type: 'timestamptz', value: (link) => link.linkedAt },
  ],
};

export class PostgresChannelLinkRepo implements ChannelLinkRepo {
  readonly #rows: Rows<ChannelLink>;

  constructor(db: Database) {
    this.#rows = new Rows(db, channelLinksTable);
  }

  get(channelId: string): Promise<ChannelLink | null> {
    return this.#rows.get(channelId);
  }

  byCustomer(customerId: string): Promise<ChannelLink[]> {
    return this.#rows.select('where customer_id = $1 order by linked_at, id', [customerId]);
  }

  put(input: ChannelLink): Promise<void> {
    return this.#rows.upsert(this.#rows.prepare(input));
  }

  remove(channelId: string): Promise<boolean> {
    return this.#rows.delete(channelId);
  }

  moveCustomer(fromId: string, toId: string): Promise<number> {
    return this.#rows.moveCustomer(fromId, toId);
  }
}
