import { and, eq } from 'drizzle-orm';
import { memberships, type Role, tenants } from '../schema/index.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export type TenantRow = typeof tenants.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;

export interface TenantsRepository {
  create(name: string): Promise<TenantRow>;
  findById(id: string): Promise<TenantRow | undefined>;
  findByName(name: string): Promise<TenantRow | undefined>;
  list(): Promise<TenantRow[]>;
  delete(id: string): Promise<boolean>;
  /** Adds the user to the tenant, or changes the role of an existing membership. */
  setMembership(userId: string, tenantId: string, role: Role): Promise<MembershipRow>;
  removeMembership(userId: string, tenantId: string): Promise<boolean>;
  membershipsOfUser(userId: string): Promise<MembershipRow[]>;
  membersOfTenant(tenantId: string): Promise<MembershipRow[]>;
}

export function createTenantsRepository(context: RepositoryContext): TenantsRepository {
  const { db } = context;
  return {
    create: (name) =>
      guardWrite(`tenant "${name}"`, () =>
        context.durably(async (tx) => {
          const [row] = await tx.insert(tenants).values({ name }).returning();
          if (row === undefined) throw new Error('insert into tenants returned no row');
          return row;
        }),
      ),
    findById: async (id) => (await db.select().from(tenants).where(eq(tenants.id, id)))[0],
    findByName: async (name) => (await db.select().from(tenants).where(eq(tenants.name, name)))[0],
    list: () => db.select().from(tenants).orderBy(tenants.name),
    delete: (id) =>
      context.durably(async (tx) => {
        const deleted = await tx.delete(tenants).where(eq(tenants.id, id)).returning();
        return deleted.length > 0;
      }),
    setMembership: (userId, tenantId, role) =>
      guardWrite(`membership of user ${userId} in tenant ${tenantId}`, () =>
        context.durably(async (tx) => {
          const [row] = await tx
            .insert(memberships)
            .values({ userId, tenantId, role })
            .onConflictDoUpdate({
              target: [memberships.userId, memberships.tenantId],
              set: { role },
            })
            .returning();
          if (row === undefined) throw new Error('upsert into memberships returned no row');
          return row;
        }),
      ),
    removeMembership: (userId, tenantId) =>
      context.durably(async (tx) => {
        const deleted = await tx
          .delete(memberships)
          .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)))
          .returning();
        return deleted.length > 0;
      }),
    membershipsOfUser: (userId) =>
      db.select().from(memberships).where(eq(memberships.userId, userId)),
    membersOfTenant: (tenantId) =>
      db.select().from(memberships).where(eq(memberships.tenantId, tenantId)),
  };
}
