import { openSqlStore, redactDatabaseUrl } from '@cairn/storage';
import { type DataDirSettings, SQL_DIR } from './data-dir.js';

export interface MigrateOutcome {
  readonly backend: 'pglite' | 'postgres';
  readonly lines: readonly string[];
}

/**
 * Brings the SQL store to the current schema: openSqlStore applies pending drizzle migrations
 * before it resolves (under an advisory lock on PostgreSQL), so migrating is opening and
 * closing it. Creates the embedded store when DATA_DIR has none yet.
 */
export async function migrateSqlStore(settings: DataDirSettings): Promise<MigrateOutcome> {
  const where =
    settings.databaseUrl === undefined
      ? `embedded PGlite at ${settings.dataDir}/${SQL_DIR}`
      : `PostgreSQL ${redactDatabaseUrl(settings.databaseUrl)}`;
  const store = await openSqlStore(
    settings.databaseUrl === undefined
      ? { dataDir: settings.dataDir, onWarning: () => {} }
      : { databaseUrl: settings.databaseUrl, onWarning: () => {} },
  );
  try {
    await store.ping();
  } finally {
    await store.close();
  }
  return { backend: store.backend, lines: [`SQL store (${where}) is at the current schema`] };
}
