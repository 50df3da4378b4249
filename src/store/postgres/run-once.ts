import { crc32 } from 'node:zlib';
import type { Database } from './database.ts';
import { lockSpace } from './lock-space.ts';

/**
 * Runs `work` while holding the job's advisory lock, taken without waiting:
 * an instance that finds another running the job skips it and resolves false.
 * The lock lives in one connection held for the run, so an instance that
 * dies mid-run releases it with its connection; nothing expires on a timer.
 */
export function runOnce(db: Database, name: string, work: () => Promise<void>): Promise<boolean> {
  // A 32-bit key of our own, not hashtext(), whose results PostgreSQL does not promise to keep.
  const key = crc32(name) | 0;
  return db.session(async (client, discard) => {
    const { rows } = await client.query<{ taken: boolean }>('select pg_try_advisory_lock($1, $2) as taken', [lockSpace.jobs, key]);
    if (!rows[0]?.taken) return false;
    try {
      await work();
      return true;
    } finally {
      // If the connection was lost, the lock went with it; closing it makes sure of that.
      await client.query('select pg_advisory_unlock($1, $2)', [lockSpace.jobs, key]).catch(discard);
    }
  });
}
