import type { SqlDatabase } from '../database.js';

/**
 * What a repository is built on: a drizzle handle (the store's or a transaction's) and the way
 * to make a security-relevant write durable before it is acknowledged.
 */
export interface RepositoryContext {
  readonly db: SqlDatabase;
  /**
   * Runs `write` atomically and resolves only once its effect survives a crash. Inside a
   * transaction it joins that transaction, and the flush happens when the transaction commits.
   */
  durably<T>(write: (db: SqlDatabase) => Promise<T>): Promise<T>;
}
