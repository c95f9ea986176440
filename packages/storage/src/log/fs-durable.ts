import { open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_SUFFIX } from './format.js';

/** Makes a create, rename or unlink inside `dir` durable (POSIX needs the directory fsynced). */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `name` so that readers see either the old or the whole new content, never a mix. */
export async function writeFileDurably(dir: string, name: string, data: Uint8Array): Promise<void> {
  const temp = join(dir, `${name}${TEMP_SUFFIX}`);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, name));
  } catch (error) {
    // Do not leave a partial temp file holding space on a full disk.
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await fsyncDirectory(dir);
}

export async function listDirectory(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function removeDurably(dir: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  for (const name of names) await rm(join(dir, name), { force: true });
  await fsyncDirectory(dir);
}
