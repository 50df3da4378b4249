import type { Rows } from './rows.ts';

/**
 * Look-ups of records by key asked for in the same turn of the event loop go
 * to the database together, as one query: a digest reading the facts of fifty
 * customers at once makes one round trip per kind of fact instead of fifty.
 * Each caller gets the records of its own key, in the order `load` gave them.
 */
export class SameTurn<T> {
  readonly #load: (keys: readonly string[]) => Promise<Map<string, T[]>>;
  #waiting: Map<string, { resolve: (records: T[]) => void; reject: (error: unknown) => void }[]> | null = null;

  /** `load` reads the records of many keys at once; a key it leaves out has none. */
  constructor(load: (keys: readonly string[]) => Promise<Map<string, T[]>>) {
    this.#load = load;
  }

  get(key: string): Promise<T[]> {
    return new Promise((resolve, reject) => {
      if (!this.#waiting) {
        this.#waiting = new Map();
        queueMicrotask(() => void this.#flush());
      }
      const callers = this.#waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else this.#waiting.set(key, [{ resolve, reject }]);
    });
  }

  async #flush(): Promise<void> {
    const waiting = this.#waiting!;
    this.#waiting = null;
    try {
      const found = await this.#load([...waiting.keys()]);
      for (const [key, callers] of waiting) {
        const records = found.get(key) ?? [];
        // Two callers of one key each get an array of their own, which they may change.
        for (const [n, caller] of callers.entries()) caller.resolve(n === 0 ? records : [...records]);
      }
    } catch (error) {
      for (const callers of waiting.values()) for (const caller of callers) caller.reject(error);
    }
  }
}

/** A table's records of a customer, `orderBy` within each customer's, those asked for in the same turn in one query. */
export function recordsByCustomer<T extends { readonly id: string; customerId: string | null }>(rows: Rows<T>, orderBy: string): SameTurn<T> {
  return new SameTurn(async (customerIds) => byCustomerId(await rows.select(`where customer_id = any($1::text[]) ${orderBy}`, [customerIds])));
}

/** Records grouped by their customer, each customer's in the order given. */
export function byCustomerId<T extends { customerId: string | null }>(records: readonly T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const record of records) {
    if (record.customerId === null) continue;
    const list = grouped.get(record.customerId);
    if (list) list.push(record);
    else grouped.set(record.customerId, [record]);
  }
  return grouped;
}
