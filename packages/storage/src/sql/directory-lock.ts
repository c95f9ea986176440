import { type FileHandle, open, readFile, unlink } from 'node:fs/promises';
import { StorageError } from '../errors.js';

export interface DirectoryLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite takes no lock of its own (no postmaster.pid), and two PostgreSQL instances writing one
 * cluster corrupt it. The lock file holds the owner's pid; a lock left by a process that died
 * (crash, SIGKILL) is taken over. Known limit: a recycled pid of an unrelated live process
 * makes a stale lock look held; the error message says which file to remove.
 */
export async function acquireDirectoryLock(lockPath: string, what: string): Promise<DirectoryLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let handle: FileHandle | undefined;
    try {
      handle = await open(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (handle !== undefined) {
      try {
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
      } catch (error) {
        // e.g. a full disk: do not leave an empty lock file (or an open descriptor) behind.
        await handle.close().catch(() => undefined);
        await unlink(lockPath).catch(() => undefined);
        throw error;
      }
      await handle.close();
      return { release: () => unlink(lockPath).catch(() => undefined) };
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || isAlive(owner))) {
      throw new StorageError(
        'STORE_LOCKED',
        `${what} is already open in process ${owner}${owner === process.pid ? ' (this one)' : ''}; stop that process first, or remove ${lockPath} if it is not a Cairn process`,
      );
    }
    await unlink(lockPath).catch(() => undefined);
  }
  throw new StorageError('STORE_LOCKED', `Could not take the lock ${lockPath} for ${what}`);
}
