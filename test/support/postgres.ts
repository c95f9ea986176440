import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface PostgresTestDatabase {
  /** Connection URL of the new, empty database (same server and credentials as the admin URL). */
  readonly url: string;
  /** A client connected to the new database, to check what the server wrote. */
  readonly sql: postgres.Sql;
  /** Closes the client and drops the database, even if a server still holds connections. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the server `adminUrl` points at, so parallel CI jobs and
 * leftovers from a crashed run never share state.
 */
export async function createPostgresDatabase(adminUrl: string): Promise<PostgresTestDatabase> {
  const name = `cairn_e2e_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `TEST_DATABASE_URL: could not create a test database (${String(error)}); the role needs CREATEDB`,
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.end();
      try {
        // WITH (FORCE) (PostgreSQL 13+) ends sessions a killed server may have left behind.
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
