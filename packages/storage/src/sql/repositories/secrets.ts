import { and, eq, sql } from 'drizzle-orm';
import { secrets } from '../schema/index.js';
import type { SecretBox } from '../secret-box.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export interface SecretRecord {
  scope: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SecretsRepository {
  /** Creates or replaces the value of `name` in `scope`, sealed before it leaves the process. */
  put(scope: string, name: string, value: string): Promise<SecretRecord>;
  /**
   * Stores `value` unless the secret exists, and returns the stored value either way: of two
   * servers racing to create one (a pepper, say), both end up with the same value.
   */
  putIfAbsent(scope: string, name: string, value: string): Promise<string>;
  /** The opened value; undefined when absent. A value that fails to open is an error. */
  get(scope: string, name: string): Promise<string | undefined>;
  /** Names and times only, never values. */
  list(scope: string): Promise<SecretRecord[]>;
  delete(scope: string, name: string): Promise<boolean>;
}

/**
 * Binds a sealed value to its row: opening it under another scope or name fails, so a value
 * copied between rows (by an attacker with SQL access) is detected, not silently served.
 */
export function secretContext(scope: string, name: string): string {
  return JSON.stringify(['cairn.sql.secret.v1', scope, name]);
}

function toRecord(row: typeof secrets.$inferSelect): SecretRecord {
  return { scope: row.scope, name: row.name, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export function createSecretsRepository(
  context: RepositoryContext,
  box: () => SecretBox,
): SecretsRepository {
  const { db } = context;
  const where = (scope: string, name: string) =>
    and(eq(secrets.scope, scope), eq(secrets.name, name));
  return {
    put: async (scope, name, value) => {
      const sealedValue = box().seal(value, secretContext(scope, name));
      return guardWrite(`secret "${name}" in scope "${scope}"`, () =>
        context.durably(async (tx) => {
          const [row] = await tx
            .insert(secrets)
            .values({ scope, name, sealedValue })
            .onConflictDoUpdate({
              target: [secrets.scope, secrets.name],
              set: { sealedValue, updatedAt: sql`now()` },
            })
            .returning();
          if (row === undefined) throw new Error('upsert into secrets returned no row');
          return toRecord(row);
        }),
      );
    },
    putIfAbsent: async (scope, name, value) => {
      const sealedValue = box().seal(value, secretContext(scope, name));
      const [row] = await guardWrite(`secret "${name}" in scope "${scope}"`, () =>
        context.durably(async (tx) => {
          await tx.insert(secrets).values({ scope, name, sealedValue }).onConflictDoNothing();
          return tx.select().from(secrets).where(where(scope, name));
        }),
      );
      if (row === undefined) throw new Error('secrets row vanished after insert');
      return box().open(
        row.sealedValue,
        secretContext(scope, name),
        `secret "${name}" in scope "${scope}"`,
      );
    },
    get: async (scope, name) => {
      const [row] = await db.select().from(secrets).where(where(scope, name));
      return row === undefined
        ? undefined
        : box().open(
            row.sealedValue,
            secretContext(scope, name),
            `secret "${name}" in scope "${scope}"`,
          );
    },
    list: async (scope) =>
      (await db.select().from(secrets).where(eq(secrets.scope, scope)).orderBy(secrets.name)).map(
        toRecord,
      ),
    delete: (scope, name) =>
      context.durably(async (tx) => {
        const deleted = await tx.delete(secrets).where(where(scope, name)).returning();
        return deleted.length > 0;
      }),
  };
}
