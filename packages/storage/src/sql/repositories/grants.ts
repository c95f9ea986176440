import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import { StorageError } from '../../errors.js';
import { grants, type Permission, type Role } from '../schema/index.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export type GrantRow = typeof grants.$inferSelect;

/** Exactly one target, as the grants_exactly_one_target CHECK demands. */
export type GrantTarget = { userId: string } | { role: Role } | { tenantId: string };

export type GrantInput = { databaseId: string; permission: Permission } & GrantTarget;

export interface GrantSubject {
  userId: string;
  roles: readonly Role[];
  tenantIds: readonly string[];
}

export interface GrantsRepository {
  /** Idempotent: granting what already exists returns the existing grant. */
  grant(input: GrantInput): Promise<GrantRow>;
  revoke(input: GrantInput): Promise<boolean>;
  listForDatabase(databaseId: string): Promise<GrantRow[]>;
  /** Grants that reach a subject directly, through one of its roles or one of its tenants. */
  listForSubject(subject: GrantSubject, databaseId?: string): Promise<GrantRow[]>;
}

function targetColumns(input: GrantInput): Pick<GrantRow, 'userId' | 'role' | 'tenantId'> {
  const targets = ['userId', 'role', 'tenantId'].filter(
    (key) => (input as Record<string, unknown>)[key] !== undefined,
  );
  if (targets.length !== 1) {
    throw new StorageError(
      'INVALID_INPUT',
      `A grant needs exactly one of userId, role or tenantId; got ${targets.length === 0 ? 'none' : targets.join(', ')}`,
    );
  }
  return {
    userId: 'userId' in input ? input.userId : null,
    role: 'role' in input ? input.role : null,
    tenantId: 'tenantId' in input ? input.tenantId : null,
  };
}

function matchesTarget(input: GrantInput): SQL | undefined {
  const target = targetColumns(input);
  return and(
    eq(grants.databaseId, input.databaseId),
    eq(grants.permission, input.permission),
    target.userId !== null ? eq(grants.userId, target.userId) : undefined,
    target.role !== null ? eq(grants.role, target.role) : undefined,
    target.tenantId !== null ? eq(grants.tenantId, target.tenantId) : undefined,
  );
}

export function createGrantsRepository(context: RepositoryContext): GrantsRepository {
  const { db } = context;
  return {
    grant: async (input) => {
      const values = {
        databaseId: input.databaseId,
        permission: input.permission,
        ...targetColumns(input),
      };
      return guardWrite(`grant of ${input.permission} on database ${input.databaseId}`, () =>
        context.durably(async (tx) => {
          const [inserted] = await tx
            .insert(grants)
            .values(values)
            .onConflictDoNothing()
            .returning();
          if (inserted !== undefined) return inserted;
          const [existing] = await tx.select().from(grants).where(matchesTarget(input));
          if (existing === undefined) throw new Error('grant neither inserted nor found');
          return existing;
        }),
      );
    },
    revoke: async (input) => {
      const condition = matchesTarget(input);
      return context.durably(async (tx) => {
        const deleted = await tx.delete(grants).where(condition).returning({ id: grants.id });
        return deleted.length > 0;
      });
    },
    listForDatabase: (databaseId) =>
      db.select().from(grants).where(eq(grants.databaseId, databaseId)).orderBy(grants.createdAt),
    listForSubject: (subject, databaseId) =>
      db
        .select()
        .from(grants)
        .where(
          and(
            databaseId === undefined ? undefined : eq(grants.databaseId, databaseId),
            or(
              eq(grants.userId, subject.userId),
              subject.roles.length > 0 ? inArray(grants.role, [...subject.roles]) : undefined,
              subject.tenantIds.length > 0
                ? inArray(grants.tenantId, [...subject.tenantIds])
                : undefined,
            ),
          ),
        ),
  };
}
