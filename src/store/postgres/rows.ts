import type { z } from 'zod';
import { breathe } from '../../breathe.ts';
import { StoreInvalidError } from '../../errors.ts';
import type { Database, Queryable } from './database.ts';
import { SameTurn } from './same-turn.ts';

/** A column beside `id` and `record`, and how a record fills it. */
export interface Column<T> {
  readonly name: string;
  readonly type: 'text' | 'text[]' | 'timestamptz' | 'boolean';
  value(record: T): string | readonly string[] | boolean | null;
}

/** One table of records: `id`, the indexed columns, and the record itself as JSONB. */
export interface TableDefinition<T extends { readonly id: string }> {
  readonly name: string;
  /** Names one record in errors: "customer". */
  readonly noun: string;
  readonly schema: z.ZodType<T>;
  readonly columns: readonly Column<T>[];
}

/** Rows fetched per round trip when a whole table is read. */
const pageSize = 1000;
/** Rows checked against their schema between turns of the event loop: a few milliseconds' work. */
const rowsPerTurn = 2_000;

/**
 * The reads and writes every table shares. Rows go in through
 * `jsonb_to_recordset`, so one statement writes one record or a thousand;
 * records come out through their zod schema, so a row edited by hand into
 * something invalid is reported, not passed on.
 */
export class Rows<T extends { readonly id: string }> {
  readonly db: Database;
  readonly #table: TableDefinition<T>;
  readonly #names: string;
  readonly #recordset: string;
  /** Records asked for by id in one turn, read in one query: a card names its owner and each author. A row refused by its schema fails only its own callers. */
  readonly #byId: SameTurn<T | StoreInvalidError>;

  constructor(db: Database, table: TableDefinition<T>) {
    this.db = db;
    this.#table = table;
    this.#byId = new SameTurn(async (ids) => {
      const { rows } = await this.db.query<{ id: string; record: unknown }>(`select id, record from ${table.name} where id = any($1::text[])`, [ids]);
      return new Map(rows.map((row) => [row.id, [this.#parseOrRefusal(row.record)]]));
    });
    const columns = [{ name: 'id', type: 'text' }, ...table.columns, { name: 'record', type: 'jsonb' }];
    this.#names = columns.map((column) => column.name).join(', ');
    this.#recordset = `jsonb_to_recordset($1::jsonb) as r(${columns.map((column) => `${column.name} ${column.type}`).join(', ')})`;
  }

  get name(): string {
    return this.#table.name;
  }

  /**
   * Validates a record about to be written. An invalid record is a bug in the
   * caller (commands validate what users type), so this throws a plain Error
   * naming the field, as the lowdb store does.
   */
  prepare(input: unknown): T {
    const result = this.#table.schema.safeParse(input);
    if (result.success) return result.data;
    const id = typeof input === 'object' && input !== null && 'id' in input ? String(input.id) : '(no id)';
    throw new Error(`Refusing to write an invalid ${this.#table.noun} ${id}: ${result.error.issues.map(formatIssue).join('; ')}`);
  }

  /** A record read from the database, checked against its schema. */
  parse(raw: unknown): T {
    const record = this.#parseOrRefusal(raw);
    if (record instanceof StoreInvalidError) throw record;
    return record;
  }

  #parseOrRefusal(raw: unknown): T | StoreInvalidError {
    const result = this.#table.schema.safeParse(raw);
    if (result.success) return result.data;
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? String(raw.id) : '(no id)';
    return new StoreInvalidError(result.error.issues.map((issue) => `table ${this.#table.name}, row ${id}: ${formatIssue(issue)}`));
  }

  /** The record with this id; outside a transaction, with the others asked for in the same turn. */
  async get(id: string, on: Queryable = this.db): Promise<T | null> {
    if (on === this.db) {
      const [found] = await this.#byId.get(id);
      if (found instanceof StoreInvalidError) throw found;
      return found ?? null;
    }
    const { rows } = await on.query<{ record: unknown }>(`select record from ${this.#table.name} where id = $1`, [id]);
    return rows[0] ? this.parse(rows[0].record) : null;
  }

  /**
   * `select record from <table> <rest>`: `rest` is the where, order and limit
   * clauses. A large answer (every customer, for a digest) is checked a slice
   * at a time, letting other requests through in between.
   */
  select(rest: string, values: unknown[], on: Queryable = this.db): Promise<T[]> {
    return this.selectRecords(`select record from ${this.#table.name} ${rest}`, values, on);
  }

  /** The records of any query whose rows have this table's `record` column, checked as `select` does. */
  async selectRecords(query: string, values: unknown[], on: Queryable = this.db): Promise<T[]> {
    const { rows } = await on.query<{ record: unknown }>(query, values);
    const records: T[] = [];
    for (const [n, row] of rows.entries()) {
      if (n > 0 && n % rowsPerTurn === 0) await breathe();
      records.push(this.parse(row.record));
    }
    return records;
  }

  /**
   * Inserts in one statement; `onConflict` is the statement's ON CONFLICT
   * clause, if any. Resolves with the ids inserted.
   */
  async insert(records: readonly T[], options: { on?: Queryable; onConflict?: string } = {}): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const { rows } = await (options.on ?? this.db).query<{ id: string }>(
      `insert into ${this.#table.name} (${this.#names}) select ${this.#names} from ${this.#recordset} ${options.onConflict ?? ''} returning id`,
      [this.#rowsOf(records)],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Replaces the row with the record's id; false if there is none. `also` adds
   * assignments, such as `seq = default`; `only` is a condition on the row as
   * it is, such as `open`, checked in the same statement.
   */
  async update(record: T, options: { on?: Queryable; also?: string; only?: string } = {}): Promise<boolean> {
    const columns = this.#names.replace(/^id, /, '');
    const { rowCount } = await (options.on ?? this.db).query(
      `update ${this.#table.name} set (${columns}) = (select ${columns} from ${this.#recordset})${options.also ? `, ${options.also}` : ''} where id = $2${options.only ? ` and ${this.#table.name}.${options.only}` : ''}`,
      [this.#rowsOf([record]), record.id],
    );
    return rowCount === 1;
  }

  /**
   * Changes one row in one transaction, the row locked from its read to the
   * commit, so that another instance's change waits for this one and then
   * reads it. `change` returns the record changed, or null to leave it.
   */
  amend(id: string, change: (record: T) => T | null): Promise<T | null> {
    return this.db.transaction(async (tx) => {
      const [current] = await this.select('where id = $1 for update', [id], tx);
      const changed = current ? change(current) : null;
      if (!changed) return null;
      const record = this.prepare(changed);
      await this.update(record, { on: tx });
      return record;
    });
  }

  /** Inserts, or replaces the row with the record's id. */
  async upsert(record: T, on: Queryable = this.db): Promise<void> {
    const columns = this.#names.replace(/^id, /, '');
    const excluded = columns.split(', ').map((name) => `excluded.${name}`).join(', ');
    await this.insert([record], { on, onConflict: `on conflict (id) do update set (${columns}) = row(${excluded})` });
  }

  /** For a table with a `customer_id` column: gives every row of `fromId` to `toId`, column and record alike; resolves with how many. */
  async moveCustomer(fromId: string, toId: string, on: Queryable = this.db): Promise<number> {
    const { rowCount } = await on.query(
      `update ${this.#table.name} set customer_id = $2, record = jsonb_set(record, '{customerId}', to_jsonb($2::text)) where customer_id = $1`,
      [fromId, toId],
    );
    return rowCount ?? 0;
  }

  async delete(id: string, on: Queryable = this.db): Promise<boolean> {
    const { rowCount } = await on.query(`delete from ${this.#table.name} where id = $1`, [id]);
    return rowCount === 1;
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(`select count(*)::int as count from ${this.#table.name}`);
    return rows[0]?.count ?? 0;
  }

  /** Every record, a page at a time in id order, so a million rows never sit in memory at once. */
  async *all(): AsyncIterable<T> {
    let after = '';
    for (;;) {
      const page = await this.select('where id > $1 order by id limit $2', [after, pageSize]);
      yield* page;
      if (page.length < pageSize) return;
      after = page.at(-1)!.id;
    }
  }

  #rowsOf(records: readonly T[]): string {
    return JSON.stringify(
      records.map((record) => {
        const row: Record<string, unknown> = { id: record.id, record };
        for (const column of this.#table.columns) row[column.name] = column.value(record);
        return row;
      }),
    );
  }
}

/** `issue.path` and `issue.message`, as in `domains.0: a domain such as acme.com`. */
export function formatIssue(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): string {
  const where = issue.path.map(String).join('.');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}
