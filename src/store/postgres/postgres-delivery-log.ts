import type { Delivery, DeliveryLog } from '../store.ts';
import type { Database, Queryable } from './database.ts';

/** Delivery keys in a table of their own, keyed by the delivery; no record beside them. */
export class PostgresDeliveryLog implements DeliveryLog {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The primary key decides: of concurrent calls with one key, on any instance, one inserts and gets true. */
  async firstSeen(key: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.#db.query('insert into deliveries (key, seen_at) values ($1, $2::timestamptz) on conflict (key) do nothing', [key, at.toISOString()]);
    return rowCount === 1;
  }

  async prune(before: Date): Promise<number> {
    const { rowCount } = await this.#db.query('delete from deliveries where seen_at < $1::timestamptz', [before.toISOString()]);
    return rowCount ?? 0;
  }

  async count(): Promise<number> {
    const { rows } = await this.#db.query<{ count: number }>('select count(*)::int as count from deliveries');
    return rows[0]?.count ?? 0;
  }

  /** Deliveries copied from another store, as they are, in one statement. */
  async insertMany(deliveries: readonly Delivery[], on: Queryable): Promise<void> {
    await on.query('insert into deliveries (key, seen_at) select * from unnest($1::text[], $2::timestamptz[])', [
      deliveries.map((delivery) => delivery.id),
      deliveries.map((delivery) => delivery.seenAt),
    ]);
  }

  /** Every delivery, a page at a time in key order. */
  async *all(): AsyncIterable<Delivery> {
    let after = '';
    for (;;) {
      const { rows } = await this.#db.query<{ key: string; seen_at: Date }>('select key, seen_at from deliveries where key > $1 order by key limit 1000', [after]);
      for (const row of rows) yield { id: row.key, seenAt: row.seen_at.toISOString() };
      if (rows.length < 1000) return;
      after = rows.at(-1)!.key;
    }
  }
}
