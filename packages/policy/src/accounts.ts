import { ALLOW, deny } from './decision.js';
import { isRoleAtMost } from './roles.js';
import type { Standing } from './standing.js';
import type { AccountField, Decision, Resource } from './types.js';

export type AccountAction = 'users' | 'createUser' | 'updateUser';

/** What a user may change of their own account without an admin. */
const SELF_SERVICE: ReadonlySet<AccountField> = new Set(['password', 'email']);

/**
 * Users are managed by a superuser anywhere and by an admin inside the tenants where it is
 * admin. Superuser accounts and the superuser flag belong to superusers alone, and nobody
 * hands out a role wider than their own.
 */
export function decideAccount(
  standing: Standing,
  action: AccountAction,
  resource: Resource,
): Decision {
  if (standing.everything) return ALLOW;
  if (resource.superuser === true || resource.targetSuperuser === true) {
    return deny(`only a superuser may create or change a superuser (${action})`);
  }
  if (action === 'updateUser' && isOwnAccount(standing, resource)) {
    const own = decideSelfService(standing, resource);
    if (own.allowed) return own;
    // An admin may change more of its own account in its tenant, as of anyone's there.
    const asAdmin = decideAsAdmin(standing, action, resource);
    return asAdmin.allowed ? asAdmin : own;
  }
  return decideAsAdmin(standing, action, resource);
}

function isOwnAccount(standing: Standing, resource: Resource): boolean {
  return standing.userId !== undefined && resource.targetUserId === standing.userId;
}

function decideSelfService(standing: Standing, resource: Resource): Decision {
  const changes = resource.changes;
  if (changes === undefined || changes.length === 0) {
    return deny('updateUser of your own account must say which fields it changes');
  }
  const beyond = changes.filter((field) => !SELF_SERVICE.has(field));
  if (beyond.length > 0) {
    return deny(
      `your own account allows changing only password and email, not ${beyond.join(', ')}`,
    );
  }
  if (!standing.actsAsOwner()) {
    return deny(
      `${standing.label} narrower than its owner cannot change the owner's account (use a session or an unscoped key of the owner's widest role)`,
    );
  }
  return ALLOW;
}

function decideAsAdmin(standing: Standing, action: AccountAction, resource: Resource): Decision {
  const { tenant, role } = resource;
  if (tenant === undefined) {
    return deny(`${action} across every tenant needs a superuser; name the tenant`);
  }
  if (standing.databaseScope !== null) {
    return deny(`${standing.label} limited to databases cannot ${action}`);
  }
  const inTenant = standing.reachTenant(tenant);
  if (!inTenant.ok) return deny(`${inTenant.reason} (${action})`);
  if (inTenant.role !== 'admin') {
    return deny(`role ${inTenant.role} in tenant ${tenant} cannot ${action} (needs admin there)`);
  }
  if (role !== undefined && !isRoleAtMost(role, inTenant.role)) {
    return deny(`role ${inTenant.role} in tenant ${tenant} cannot give role ${role}`);
  }
  return ALLOW;
}
