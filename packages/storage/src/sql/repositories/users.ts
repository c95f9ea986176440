import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { users } from '../schema/index.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export type UserRow = typeof users.$inferSelect;

export interface CreateUserInput {
  username: string;
  passwordHash: string;
  email?: string | null;
  isActive?: boolean;
  isSuperuser?: boolean;
}

export interface UpdateUserInput {
  email?: string | null;
  isActive?: boolean;
  isSuperuser?: boolean;
}

export interface UsersRepository {
  create(input: CreateUserInput): Promise<UserRow>;
  findById(id: string): Promise<UserRow | undefined>;
  /** Case-insensitive, like the unique index. */
  findByUsername(username: string): Promise<UserRow | undefined>;
  list(): Promise<UserRow[]>;
  count(): Promise<number>;
  update(id: string, input: UpdateUserInput): Promise<UserRow | undefined>;
  /** Sets the hash and ends every session the user had (sessions_valid_after = now). */
  setPassword(id: string, passwordHash: string): Promise<UserRow | undefined>;
  /** Replaces the hash only, e.g. upgrading parameters at login; sessions stay valid. */
  rehashPassword(id: string, passwordHash: string): Promise<UserRow | undefined>;
  /** Ends every session of the user without other changes. */
  endSessions(id: string): Promise<UserRow | undefined>;
  delete(id: string): Promise<boolean>;
  /**
   * Takes the transaction-scoped lock that serialises creating the first users (bootstrap, the
   * configured superuser): inside `transaction`/`durably`, a second caller waits here until the
   * first commits, then sees its rows. Outside a transaction it protects nothing.
   */
  lockFirstUser(): Promise<void>;
}

/** Arbitrary, fixed: the advisory-lock key of first-user creation. */
const FIRST_USER_LOCK = 7_283_001;

const byLowerUsername = (username: string) => sql`lower(${users.username}) = lower(${username})`;

export function createUsersRepository(context: RepositoryContext): UsersRepository {
  const { db } = context;
  const updateDurably = (id: string, values: PgUpdateSetSource<typeof users>) =>
    context.durably(async (tx) => {
      const [row] = await tx
        .update(users)
        .set({ ...values, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      return row;
    });

  return {
    create: (input) =>
      guardWrite(`user "${input.username}"`, () =>
        context.durably(async (tx) => {
          const [row] = await tx
            .insert(users)
            .values({
              username: input.username,
              passwordHash: input.passwordHash,
              email: input.email ?? null,
              isActive: input.isActive ?? false,
              isSuperuser: input.isSuperuser ?? false,
            })
            .returning();
          if (row === undefined) throw new Error('insert into users returned no row');
          return row;
        }),
      ),
    findById: async (id) => (await db.select().from(users).where(eq(users.id, id)))[0],
    findByUsername: async (username) =>
      (await db.select().from(users).where(byLowerUsername(username)))[0],
    list: () => db.select().from(users).orderBy(users.createdAt, users.id),
    count: async () => (await db.$count(users)) ?? 0,
    update: (id, input) => {
      const values: PgUpdateSetSource<typeof users> = {};
      if (input.email !== undefined) values.email = input.email;
      if (input.isSuperuser !== undefined) values.isSuperuser = input.isSuperuser;
      if (input.isActive !== undefined) {
        values.isActive = input.isActive;
        // Deactivation must cut existing sessions, not just refuse new logins.
        if (!input.isActive) values.sessionsValidAfter = sql`now()`;
      }
      return updateDurably(id, values);
    },
    setPassword: (id, passwordHash) =>
      updateDurably(id, {
        passwordHash,
        passwordChangedAt: sql`now()`,
        sessionsValidAfter: sql`now()`,
      }),
    rehashPassword: (id, passwordHash) => updateDurably(id, { passwordHash }),
    endSessions: (id) => updateDurably(id, { sessionsValidAfter: sql`now()` }),
    delete: (id) =>
      context.durably(async (tx) => {
        const deleted = await tx.delete(users).where(eq(users.id, id)).returning({ id: users.id });
        return deleted.length > 0;
      }),
    lockFirstUser: async () => {
      await db.execute(sql`select pg_advisory_xact_lock(${FIRST_USER_LOCK})`);
    },
  };
}
