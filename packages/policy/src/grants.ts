import { isRoleAtMost } from './roles.js';
import type { Grant, Permission, Role } from './types.js';

/** Who a grant could be meant for: a caller acting in one tenant with one role there. */
export interface GrantHolder {
  /** Cairn user id; undefined for callers that are not Cairn users (external tokens). */
  readonly userId: string | undefined;
  readonly role: Role;
  readonly tenant: string;
}

/**
 * Permissions the stored grants add on `database` for `holder`. A role grant reaches that role
 * and every wider one, so promoting someone never takes a permission away; a tenant grant
 * reaches that tenant's members while they act in it.
 */
export function grantedPermissions(
  grants: readonly Grant[],
  database: string,
  holder: GrantHolder,
): Permission[] {
  const granted: Permission[] = [];
  for (const grant of grants) {
    if (grant.database !== database) continue;
    const subject = grant.subject;
    const applies =
      'userId' in subject
        ? holder.userId !== undefined && subject.userId === holder.userId
        : 'role' in subject
          ? isRoleAtMost(subject.role, holder.role)
          : subject.tenant === holder.tenant;
    if (applies) granted.push(grant.permission);
  }
  return granted;
}
