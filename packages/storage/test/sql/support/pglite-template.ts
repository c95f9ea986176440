import { createHash, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrationsFolder } from '../../../src/sql/migrations.js';
import { openSqlStore } from '../../../src/sql/open-sql-store.js';

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(migrationsFolder, { recursive: true })).sort()) {
    const path = join(migrationsFolder, name);
    if ((await stat(path)).isFile()) hash.update(name).update(await readFile(path));
  }
  return hash.digest('hex').slice(0, 16);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Creating a PGlite cluster costs seconds, copying one a fraction of that: every test file
 * copies one migrated template, built once per migration set and shared across workers.
 */
async function templateDirectory(): Promise<string> {
  const root = join(tmpdir(), `cairn-sql-template-${await migrationsHash()}`);
  const ready = join(root, 'data');
  if (await exists(ready)) return ready;
  const lock = `${root}.lock`;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (await exists(ready)) return ready;
      await sleep(200);
    }
  }
  try {
    if (!(await exists(ready))) {
      const building = join(tmpdir(), `cairn-sql-template-build-${randomUUID()}`);
      const store = await openSqlStore({ dataDir: building });
      await store.close();
      await mkdir(root, { recursive: true });
      await rename(building, ready);
    }
    return ready;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** A fresh, migrated data directory of its own; remove it with `rm` when done. */
export async function createPgliteDataDir(): Promise<string> {
  const template = await templateDirectory();
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-sql-test-'));
  await cp(template, dataDir, { recursive: true });
  return dataDir;
}
