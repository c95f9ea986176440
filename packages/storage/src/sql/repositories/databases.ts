import { and, eq, isNull } from 'drizzle-orm';
import { databases } from '../schema/index.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export type DatabaseRow = typeof databases.$inferSelect;

export interface CreateDatabaseInput {
  name: string;
  /** The data key wrapped by the master key (opaque text, e.g. base64 envelope). */
  wrappedDataKey: string;
  kekId: string;
}

export interface DatabasesRepository {
  create(input: CreateDatabaseInput): Promise<DatabaseRow>;
  findById(id: string): Promise<DatabaseRow | undefined>;
  /** The live (not deleted) database of that name. */
  findByName(name: string): Promise<DatabaseRow | undefined>;
  /** Live databases, by name. */
  list(): Promise<DatabaseRow[]>;
  /** Master-key rotation: store the data key re-wrapped under a new KEK. */
  rewrapDataKey(
    id: string,
    wrappedDataKey: string,
    kekId: string,
  ): Promise<DatabaseRow | undefined>;
  /** Marks it deleted; the row stays for the audit trail and the name becomes free. */
  markDeleted(id: string): Promise<DatabaseRow | undefined>;
}

export function createDatabasesRepository(context: RepositoryContext): DatabasesRepository {
  const { db } = context;
  return {
    create: (input) =>
      guardWrite(`database "${input.name}"`, () =>
        context.durably(async (tx) => {
          const [row] = await tx.insert(databases).values(input).returning();
          if (row === undefined) throw new Error('insert into databases returned no row');
          return row;
        }),
      ),
    findById: async (id) => (await db.select().from(databases).where(eq(databases.id, id)))[0],
    findByName: async (name) =>
      (
        await db
          .select()
          .from(databases)
          .where(and(eq(databases.name, name), isNull(databases.deletedAt)))
      )[0],
    list: () =>
      db.select().from(databases).where(isNull(databases.deletedAt)).orderBy(databases.name),
    rewrapDataKey: (id, wrappedDataKey, kekId) =>
      context.durably(async (tx) => {
        const [row] = await tx
          .update(databases)
          .set({ wrappedDataKey, kekId })
          .where(eq(databases.id, id))
          .returning();
        return row;
      }),
    markDeleted: (id) =>
      context.durably(async (tx) => {
        const [row] = await tx
          .update(databases)
          .set({ deletedAt: new Date() })
          .where(and(eq(databases.id, id), isNull(databases.deletedAt)))
          .returning();
        return row;
      }),
  };
}
