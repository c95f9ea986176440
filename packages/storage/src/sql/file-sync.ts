import { open } from 'node:fs/promises';

/**
 * The one place that asks the kernel to put bytes on stable storage. It is injectable so a
 * test can observe every real call (it wraps these functions, it does not replace them).
 */
export interface FileSync {
  /** fdatasync(2) of a regular file. */
  syncFile(path: string): Promise<void>;
  /** fsync(2) of a directory, so created and renamed entries survive a power loss. */
  syncDirectory(path: string): Promise<void>;
}

async function syncPath(path: string, dataOnly: boolean): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await (dataOnly ? handle.datasync() : handle.sync());
  } finally {
    await handle.close();
  }
}

export const kernelFileSync: FileSync = {
  syncFile: (path) => syncPath(path, true),
  syncDirectory: (path) => syncPath(path, false),
};
