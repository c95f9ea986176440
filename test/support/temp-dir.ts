import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  /** Path of `name` inside the directory. */
  file(name: string): string;
  remove(): Promise<void>;
}

/** A fresh private directory under the OS temp dir; remove() deletes it and everything in it. */
export async function createTempDir(prefix = 'cairn-e2e-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
