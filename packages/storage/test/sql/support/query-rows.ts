import { type SQL, sql } from 'drizzle-orm';
import type { SqlDatabase } from '../../../src/sql/database.js';

/** Raw SQL rows on either driver (PGlite returns { rows }, postgres-js an array). */
export async function queryRows(db: SqlDatabase, query: SQL | string): Promise<unknown[]> {
  const result: unknown = await db.execute(typeof query === 'string' ? sql.raw(query) : query);
  if (Array.isArray(result)) return [...result];
  return (result as { rows: unknown[] }).rows;
}
