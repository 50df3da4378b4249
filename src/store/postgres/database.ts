import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../logger.ts';

/** What a query runs on: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** A connection of its own (Database.dedicated), closed rather than given back. */
export interface Dedicated extends Queryable {
  close(): void;
}

/**
 * A pool of connections to one database. Every write commits before its
 * promise resolves (PostgreSQL's synchronous commit), which is the Store
 * port's durability rule.
 */
export class Database implements Queryable {
  readonly #pool: pg.Pool;
  readonly #log: Logger;
  #closed = false;
  /** Statements with values go prepared, by a name made from their text, until a pooler in front shows it cannot keep them. */
  #prepare = true;

  constructor(url: string, log: Logger) {
    this.#pool = new pg.Pool({ connectionString: url, application_name: 'guanxi' });
    this.#log = log;
    // An idle connection the server dropped (a restart, a failover) is replaced
    // on next use; unhandled, this event would end the process.
    this.#pool.on('error', (error) => log.warn('A PostgreSQL connection was lost; the next query opens another', error));
  }

  /**
   * A statement with values is prepared once per connection and named after
   * its text: PostgreSQL then skips parsing and planning it again, about a
   * quarter of a card's time. A pooler in transaction mode (PgBouncer before
   * 1.21) hands each statement to any server connection, where a name
   * prepared elsewhere is unknown (26000) or already taken (42P05); neither
   * ran the statement, so it is sent again unprepared, as every later one is.
   */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    this.#assertOpen();
    if (!this.#prepare || values === undefined) return this.#pool.query<R>(text, values);
    try {
      return await this.#pool.query<R>({ name: statementName(text), text, values });
    } catch (error) {
      if (!(error instanceof pg.DatabaseError) || !preparedStatementLost.has(error.code ?? '')) throw error;
      if (this.#prepare) {
        this.#prepare = false;
        this.#log.warn(`PostgreSQL did not keep a prepared statement (${error.message}): a connection pooler in transaction mode is in front. guanxi sends its statements unprepared from now on, which works, only slower; PgBouncer 1.21 and later keep them with max_prepared_statements set.`);
      }
      return this.#pool.query<R>(text, values);
    }
  }

  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    return this.#session(async (client, discard) => {
      await client.query('begin');
      try {
        const result = await work(client);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(discard);
        throw error;
      }
    });
  }

  /**
   * Holds one connection while `work` runs, as a transaction needs. `discard`
   * closes the connection afterwards instead of reusing it, for one left in a
   * state nobody else should inherit (a transaction it could not roll back).
   */
  async #session<T>(work: (client: Queryable, discard: () => void) => Promise<T>): Promise<T> {
    this.#assertOpen();
    const client = await this.#pool.connect();
    let discarded = false;
    const discard = () => {
      discarded = true;
    };
    // The pool stops listening while a connection is checked out; unheard, a
    // dropped connection would end the process. Its next query rejects instead.
    const lost = (error: Error) => {
      discard();
      this.#log.warn('A PostgreSQL connection in use was lost', error);
    };
    client.on('error', lost);
    try {
      return await work(client, discard);
    } finally {
      client.removeListener('error', lost);
      client.release(discarded);
    }
  }

  /**
   * A connection kept until the caller closes it, for what lasts as long as a
   * session does: the advisory locks of run-once.ts. It never goes back to
   * the pool. `lost` hears if it drops, after which it is closed already.
   */
  async dedicated(lost: (error: Error) => void): Promise<Dedicated> {
    this.#assertOpen();
    const client = await this.#pool.connect();
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      client.release(true);
    };
    client.on('error', (error) => {
      this.#log.warn('A PostgreSQL connection in use was lost', error);
      close();
      lost(error);
    });
    return { query: (text, values) => client.query(text, values), close };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('The store is closed; cannot reach PostgreSQL.');
  }
}

/** invalid_sql_statement_name and duplicate_prepared_statement: what a pooler that moves statements between connections causes. */
const preparedStatementLost = new Set(['26000', '42P05']);

/** The same text gets the same name on every connection, so each prepares it once. */
function statementName(text: string): string {
  return `gx_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}

/** True for PostgreSQL's unique_violation, optionally on one constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof pg.DatabaseError) || error.code !== '23505') return false;
  return constraint === undefined || error.constraint === constraint;
}

/** A `like` pattern for text holding `needle` anywhere, its own %, _ and \ taken literally. */
export function containing(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, '\\$&')}%`;
}
