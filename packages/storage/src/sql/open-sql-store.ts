import { StorageError } from '../errors.js';
import type { SqlBackend, SqlDatabase } from './database.js';
import { type FileSync, kernelFileSync } from './file-sync.js';
import { openPglite } from './open-pglite.js';
import { openPostgres } from './open-postgres.js';
import type { RepositoryContext } from './repositories/context.js';
import { createSecretBox, type MasterKey, missingSecretBox, type SecretBox } from './secret-box.js';
import { createRepositories, type SqlRepositories, type SqlStore } from './store.js';

export interface OpenSqlStoreOptions {
  /** Embedded PGlite lives in `<dataDir>/sql`. Used when no databaseUrl is given. */
  dataDir?: string;
  /** postgres:// URL: use that server (its own durability applies) instead of PGlite. */
  databaseUrl?: string;
  /** Needed for secrets and signing keys; a KeyRing also opens values sealed by older keys. */
  masterKey?: MasterKey;
  onWarning?: (message: string) => void;
  /** Test seam observing the real fsync calls of the embedded store. */
  fileSync?: FileSync;
}

interface Backend {
  backend: SqlBackend;
  db: SqlDatabase;
  /** Makes every commit that already happened durable. */
  flush(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

async function openBackend(options: OpenSqlStoreOptions): Promise<Backend> {
  if (options.databaseUrl !== undefined) {
    const opened = await openPostgres(options.databaseUrl);
    return { backend: 'postgres', ...opened, flush: async () => {} };
  }
  if (options.dataDir === undefined || options.dataDir === '') {
    throw new StorageError(
      'INVALID_INPUT',
      'openSqlStore needs dataDir (embedded PGlite under <dataDir>/sql) or databaseUrl (PostgreSQL)',
    );
  }
  const opened = await openPglite(options.dataDir, options.fileSync ?? kernelFileSync);
  return { backend: 'pglite', ...opened, flush: () => opened.durability.flush() };
}

/**
 * Opens the SQL store: PGlite under DATA_DIR by default, PostgreSQL when a URL is given.
 * Migrations run before it resolves.
 */
export async function openSqlStore(options: OpenSqlStoreOptions): Promise<SqlStore> {
  const backend = await openBackend(options);
  if (options.masterKey === undefined) {
    options.onWarning?.(
      'The SQL store was opened without a master key: secrets and signing keys are unavailable until ENCRYPTION_KEY is set',
    );
  }
  const box: SecretBox =
    options.masterKey === undefined ? missingSecretBox() : createSecretBox(options.masterKey);
  const secretBox = () => box;
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new StorageError('STORE_CLOSED', 'The SQL store was used after close()');
  };

  const runTransaction = async <T>(
    fn: (tx: SqlRepositories) => Promise<T>,
    forceFlush: boolean,
  ): Promise<T> => {
    assertOpen();
    let needsFlush = forceFlush;
    const result = await backend.db.transaction(async (tx) => {
      const context: RepositoryContext = {
        db: tx,
        durably: (write) => {
          needsFlush = true;
          return write(tx);
        },
      };
      return fn(createRepositories(context, secretBox));
    });
    if (needsFlush) await backend.flush();
    return result;
  };

  const rootContext: RepositoryContext = {
    db: backend.db,
    durably: async (write) => {
      assertOpen();
      const result = await backend.db.transaction((tx) => write(tx));
      await backend.flush();
      return result;
    },
  };

  return {
    ...createRepositories(rootContext, secretBox),
    backend: backend.backend,
    transaction: (fn) => runTransaction(fn, false),
    durably: (fn) => runTransaction(fn, true),
    ping: async () => {
      assertOpen();
      await backend.ping();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}
