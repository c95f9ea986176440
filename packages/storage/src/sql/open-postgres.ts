import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { StorageError } from '../errors.js';
import type { SqlDatabase } from './database.js';
import { type DatabaseTarget, parseDatabaseUrl } from './database-url.js';
import { migrationLockKey, migrationsFolder } from './migrations.js';
import * as schema from './schema/index.js';

const connectTimeoutSeconds = 5;
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
]);
// invalid_password, invalid_authorization_specification, invalid_catalog_name
const refusedCodes = new Set(['28P01', '28000', '3D000']);

function describe(target: DatabaseTarget): string {
  return `PostgreSQL at ${target.host}:${target.port}, database "${target.database}", user "${target.user}"`;
}

/** Driver errors become StorageErrors whose message names the target but never the password. */
function connectionError(error: unknown, target: DatabaseTarget): StorageError {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = typeof code === 'string' ? code : 'unknown error';
  // The cause keeps only code and the driver's message: the driver error object itself can
  // hold the connection options, password included.
  const cause = {
    code: detail,
    message: error instanceof Error ? error.message : String(error),
  };
  if (typeof code === 'string' && refusedCodes.has(code)) {
    return new StorageError(
      'DATABASE_AUTH_FAILED',
      `${describe(target)} refused the connection (${detail}: ${cause.message}). Check the user, password and database name in DATABASE_URL.`,
      { cause },
    );
  }
  if (typeof code === 'string' && unreachableCodes.has(code)) {
    return new StorageError(
      'DATABASE_UNREACHABLE',
      `Cannot reach ${describe(target)} (${detail}). Check that the server runs and that host and port in DATABASE_URL are right.`,
      { cause },
    );
  }
  return new StorageError(
    'DATABASE_UNREACHABLE',
    `Cannot use ${describe(target)} (${detail}). Check DATABASE_URL and the server's logs.`,
    { cause },
  );
}

function connect(url: string, max: number): postgres.Sql {
  return postgres(url, {
    max,
    connect_timeout: connectTimeoutSeconds,
    onnotice: () => {},
    connection: { application_name: 'cairn' },
  });
}

async function migrateUnderLock(url: string, target: DatabaseTarget): Promise<void> {
  // One connection, so the session-level advisory lock and the migration share it: a second
  // server starting at the same moment waits here instead of racing on CREATE TABLE.
  const client = connect(url, 1);
  try {
    await client`select pg_advisory_lock(${migrationLockKey})`;
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } catch (error) {
      throw new StorageError(
        'MIGRATION_FAILED',
        `Applying the SQL schema migrations to ${describe(target)} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    } finally {
      await client`select pg_advisory_unlock(${migrationLockKey})`.catch(() => undefined);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

export interface OpenedPostgres {
  db: SqlDatabase;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openPostgres(url: string): Promise<OpenedPostgres> {
  const target = parseDatabaseUrl(url);
  const client = connect(url, 10);
  try {
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => undefined);
    throw connectionError(error, target);
  }
  try {
    await migrateUnderLock(url, target);
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => undefined);
    throw error instanceof StorageError ? error : connectionError(error, target);
  }
  return {
    db: drizzle(client, { schema }) as unknown as SqlDatabase,
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}
