import { z } from 'zod';
import { instant } from '../../domain/fields.ts';
import type { DeliveryLog } from '../store.ts';
import type { Collection } from './collection.ts';

/** One line of deliveries.json: the delivery's key (a Slack event_id…) and when it was first seen. */
export const deliverySchema = z.object({
  id: z.string().min(1),
  seenAt: instant,
});

export type Delivery = z.infer<typeof deliverySchema>;

export class LowdbDeliveryLog implements DeliveryLog {
  readonly #records: Collection<Delivery>;

  constructor(records: Collection<Delivery>) {
    this.#records = records;
  }

  /**
   * The check and the record happen before the first await, so of two
   * concurrent calls with one key exactly one gets true.
   */
  async firstSeen(key: string, at: Date): Promise<boolean> {
    const delivery = this.#records.prepare({ id: key, seenAt: at.toISOString() });
    if (this.#records.get(delivery.id)) return false;
    await this.#records.set(delivery);
    return true;
  }

  async prune(before: Date): Promise<number> {
    const cutoff = before.getTime();
    const old: string[] = [];
    for (const delivery of this.#records.values()) {
      if (Date.parse(delivery.seenAt) < cutoff) old.push(delivery.id);
    }
    if (old.length === 0) return 0;
    await this.#records.delete(old);
    return old.length;
  }
}
