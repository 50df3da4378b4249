import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StoreLockedError } from '../../errors.ts';

export const lockFileName = 'guanxi.lock';

/** What guanxi.lock holds; `token` tells this opening apart from another in the same process. */
const lockSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  token: z.string(),
});

type LockHolder = z.infer<typeof lockSchema>;

export interface StoreLock {
  /** Removes the lock file, if it is still ours. */
  release(): Promise<void>;
}

/**
 * Takes the folder for this process: creates `guanxi.lock` exclusively. A
 * lock whose process is alive refuses the open, even if it is this process
 * (a second open of one folder would make two writers); a lock whose process
 * is gone is stale and taken over.
 */
export async function acquireStoreLock(dir: string, now: Date = new Date()): Promise<StoreLock> {
  const path = join(dir, lockFileName);
  const mine: LockHolder = { pid: process.pid, startedAt: now.toISOString(), token: randomUUID() };
  // Two attempts: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      return { release: () => releaseLock(path, mine.token) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (holder === 'unreadable') {
      throw new StoreLockedError(
        `The data folder ${dir} is locked by ${path}, which cannot be read. ` +
          `If no other guanxi process is running, delete ${path} and start again.`,
      );
    }
    if (holder !== null && isAlive(holder.pid)) throw lockedBy(holder, dir, path);
    // Stale. Two processes taking over the same stale lock at the same
    // instant could both succeed; starting guanxi twice within a millisecond
    // over a crashed one is not worth a more elaborate protocol.
    await rm(path, { force: true });
  }
  throw new StoreLockedError(`Another guanxi process took the data folder ${dir} while this one was starting.`);
}

function lockedBy(holder: LockHolder, dir: string, path: string): StoreLockedError {
  return new StoreLockedError(
    `Another guanxi process (pid ${holder.pid}, started ${holder.startedAt}) is using the data folder ${dir}. ` +
      `Stop that process, or point DATA_DIR at another folder. ` +
      `If no guanxi process is running, delete ${path} and start again.`,
  );
}

/** The holder, null if the lock vanished meanwhile, 'unreadable' if it holds something else. */
async function readHolder(path: string): Promise<LockHolder | null | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = lockSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Signal 0 checks that the process exists; EPERM means it exists under another user. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseLock(path: string, token: string): Promise<void> {
  const holder = await readHolder(path);
  if (holder !== null && holder !== 'unreadable' && holder.token === token) await rm(path, { force: true });
}
