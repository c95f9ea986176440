import type { Role } from '@cairn/policy';
import type { SqlRepositories } from '@cairn/storage';

export interface PrimaryMembership {
  /** Tenant name: the name the API's `tenant` arguments use. */
  readonly tenant: string;
  readonly role: Role;
}

/**
 * The tenant a session starts in: the one the user joined first (ties by tenant id), so it
 * does not change when the user is added to another tenant later.
 */
export async function readPrimaryMembership(
  sql: Pick<SqlRepositories, 'tenants'>,
  userId: string,
): Promise<PrimaryMembership | undefined> {
  const memberships = await sql.tenants.membershipsOfUser(userId);
  memberships.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.tenantId.localeCompare(b.tenantId),
  );
  for (const membership of memberships) {
    const tenant = await sql.tenants.findById(membership.tenantId);
    if (tenant !== undefined) return { tenant: tenant.name, role: membership.role };
  }
  return undefined;
}
