import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

export type SqlSchema = typeof schema;

/**
 * The drizzle handle every repository takes. Both drivers (PGlite and postgres-js) and their
 * transactions are `PgDatabase`s, which is what lets one repository code run on both.
 */
export type SqlDatabase = PgDatabase<PgQueryResultHKT, SqlSchema>;

export type SqlBackend = 'pglite' | 'postgres';
