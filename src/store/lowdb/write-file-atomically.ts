import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Characters (or bytes) written between two fsyncs of a large file. */
const syncEveryChars = 8 * 1024 * 1024;

/** Where `writeFileAtomically` puts the new text before the rename; a crash can leave it behind. */
export function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`);
}

/**
 * Replaces `path` with the concatenated `chunks` (text as UTF-8, or bytes), all or nothing: a reader or a
 * crash sees the old file or the new one, never a mix. Like lowdb's steno, the
 * text goes to `.name.tmp` and is renamed over the file; unlike steno, the
 * temp file and the folder are fsynced, so once this resolves the new file
 * survives a power cut, not only a killed process.
 *
 * `chunks` is consumed lazily and each chunk is awaited, so a large file is
 * written without building one huge string or holding the event loop.
 */
export async function writeFileAtomically(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const temp = tempPathOf(path);
  try {
    const handle = await open(temp, 'w');
    try {
      // writeFile on a handle writes at the current position and loops until all is written.
      let unsynced = 0;
      for (const chunk of chunks) {
        await handle.writeFile(chunk);
        unsynced += chunk.length;
        // A few megabytes at a time reach the disk, not hundreds at the end: an fsync of
        // the journal meanwhile then waits for little (filesystems commit in order).
        if (unsynced >= syncEveryChars) {
          await handle.datasync();
          unsynced = 0;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}

/** Makes a rename, a creation or a removal in `dir` itself durable. */
export async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
