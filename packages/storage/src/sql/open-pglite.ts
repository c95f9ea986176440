import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { StorageError } from '../errors.js';
import type { SqlDatabase } from './database.js';
import { acquireDirectoryLock } from './directory-lock.js';
import type { FileSync } from './file-sync.js';
import { migrationsFolder } from './migrations.js';
import { PgliteDurability } from './pglite-durability.js';
import * as schema from './schema/index.js';

export interface OpenedPglite {
  db: SqlDatabase;
  durability: PgliteDurability;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/*
 * PGlite runs PostgreSQL in WebAssembly: a failing file operation surfaces as Emscripten's
 * ErrnoError, a plain object `{ name, errno }` with WASI errno numbers and no message, which
 * String() renders as "[object Object]".
 */
const WASI_ERRNO: Readonly<Record<number, string>> = {
  2: 'EACCES: permission denied',
  19: 'EDQUOT: disk quota exceeded',
  29: 'EIO: input/output error',
  44: 'ENOENT: no such file or directory',
  48: 'ENOMEM: out of memory',
  51: 'ENOSPC: no space left on device',
  63: 'EPERM: operation not permitted',
  69: 'EROFS: read-only file system',
};

/** A readable reason for whatever PGlite threw. */
function describePgliteFailure(error: unknown): string {
  if (error instanceof Error && error.message !== '') return error.message;
  if (typeof error === 'object' && error !== null) {
    const { errno, message } = error as { errno?: unknown; message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    if (typeof errno === 'number') return WASI_ERRNO[errno] ?? `file system error (errno ${errno})`;
  }
  return String(error);
}

function hintFor(reason: string): string {
  if (reason.startsWith('ENOSPC') || reason.startsWith('EDQUOT')) {
    return 'Free disk space on the file system holding DATA_DIR and start again.';
  }
  return 'Check DATA_DIR permissions, and that no other Cairn process uses it.';
}

/** Opens (creating on first use) the embedded store in `<dataDir>/sql`. */
export async function openPglite(dataDir: string, fileSync: FileSync): Promise<OpenedPglite> {
  const clusterDirectory = join(dataDir, 'sql');
  await mkdir(dataDir, { recursive: true });
  const lock = await acquireDirectoryLock(
    join(dataDir, 'sql.lock'),
    `The embedded SQL store at ${clusterDirectory}`,
  );
  let client: PGlite;
  try {
    client = await PGlite.create(clusterDirectory);
  } catch (error) {
    await lock.release();
    const reason = describePgliteFailure(error);
    throw new StorageError(
      'MIGRATION_FAILED',
      `Cannot open the embedded SQL store at ${clusterDirectory}: ${reason}. ${hintFor(reason)}`,
      { cause: error },
    );
  }
  const db = drizzle(client, { schema });
  const durability = new PgliteDurability(clusterDirectory, fileSync, async () => {
    const result = await client.query<{ name: string }>(
      'select pg_walfile_name(pg_current_wal_insert_lsn()) as name',
    );
    const name = result.rows[0]?.name;
    if (name === undefined) throw new Error('pg_walfile_name returned no row');
    return name.toUpperCase();
  });
  try {
    await migrate(db, { migrationsFolder });
    // Whatever initdb, crash recovery or the migrations wrote becomes the durable base that
    // later WAL flushes build on.
    await durability.syncEverything();
  } catch (error) {
    await client.close().catch(() => undefined);
    await lock.release();
    throw error instanceof StorageError
      ? error
      : new StorageError(
          'MIGRATION_FAILED',
          `Applying the SQL schema migrations to ${clusterDirectory} failed: ${describePgliteFailure(error)}`,
          { cause: error },
        );
  }
  return {
    db: db as unknown as SqlDatabase,
    durability,
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      try {
        await client.close();
        // The shutdown checkpoint rewrote data files and pg_control: make them the durable base.
        await durability.syncClosedCluster();
      } finally {
        await lock.release();
      }
    },
  };
}
