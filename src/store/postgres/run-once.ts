import { crc32 } from 'node:zlib';
import type { Database, Dedicated } from './database.ts';
import { lockSpace } from './lock-space.ts';

/**
 * Runs a job while holding its advisory lock, taken without waiting: an
 * instance that finds another running it skips the run (so does this one, if
 * it runs it already). Every lock is held on one connection kept for locks
 * alone, so work that holds a lock for minutes (a mailbox's backfill) takes no
 * connection from the queries it makes, however many run at once. A lock goes
 * with its connection, so an instance that dies mid-run releases it; nothing
 * expires on a timer.
 */
export class JobLocks {
  readonly #db: Database;
  /** Held by this process: a session's advisory locks are its own to take again, so it keeps count itself. */
  readonly #held = new Set<string>();
  #session: Promise<Dedicated> | null = null;

  constructor(db: Database) {
    this.#db = db;
  }

  async runOnce(name: string, work: () => Promise<void>): Promise<boolean> {
    if (this.#held.has(name)) return false;
    this.#held.add(name);
    try {
      // A 32-bit key of our own, not hashtext(), whose results PostgreSQL does not promise to keep.
      const key = crc32(name) | 0;
      const session = await this.#connection();
      const { rows } = await session.query<{ taken: boolean }>('select pg_try_advisory_lock($1, $2) as taken', [lockSpace.jobs, key]);
      if (!rows[0]?.taken) return false;
      try {
        await work();
        return true;
      } finally {
        // If the connection was lost, the lock went with it.
        await session.query('select pg_advisory_unlock($1, $2)', [lockSpace.jobs, key]).catch(() => undefined);
      }
    } finally {
      this.#held.delete(name);
    }
  }

  /** Closes the lock connection, rather than handing it to the pool's queries; its locks go with it. */
  async close(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    (await session?.catch(() => null))?.close();
  }

  #connection(): Promise<Dedicated> {
    if (!this.#session) {
      const session = this.#db.dedicated(() => {
        if (this.#session === session) this.#session = null;
      });
      // A connection that could not be made is tried again by the next run.
      session.catch(() => {
        if (this.#session === session) this.#session = null;
      });
      this.#session = session;
    }
    return this.#session;
  }
}
