import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with the concatenated `chunks`, all or nothing: a reader or a
 * crash sees the old file or the new one, never a mix. Like lowdb's steno, the
 * text goes to `.name.tmp` and is renamed over the file; unlike steno, the
 * temp file and the folder are fsynced, so once this resolves the new file
 * survives a power cut, not only a killed process.
 *
 * `chunks` is consumed lazily and each chunk is awaited, so a large file is
 * written without building one huge string or holding the event loop.
 */
export async function writeFileAtomically(path: string, chunks: Iterable<string>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      // writeFile on a handle writes at the current position and loops until all is written.
      for (const chunk of chunks) await handle.writeFile(chunk, 'utf8');
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

/** Makes the rename itself durable. */
async function syncFolder(dir: string): Promise<void> {
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
