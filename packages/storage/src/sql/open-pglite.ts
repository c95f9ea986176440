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
    throw new StorageError(
      'MIGRATION_FAILED',
      `Cannot open the embedded SQL store at ${clusterDirectory}: ${error instanceof Error ? error.message : String(error)}. Check DATA_DIR permissions, and that no other Cairn process uses it.`,
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
          `Applying the SQL schema migrations to ${clusterDirectory} failed: ${error instanceof Error ? error.message : String(error)}`,
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
