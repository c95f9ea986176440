import type { Permission, Role } from './types.js';

const RANK: Readonly<Record<Role, number>> = { reader: 0, writer: 1, admin: 2 };

/** What a role gives on every database, in the tenants where it is held. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  reader: Object.freeze(['read'] as const),
  writer: Object.freeze(['read', 'write', 'delete'] as const),
  admin: Object.freeze(['read', 'write', 'delete', 'share'] as const),
});

/** Whether `role` gives no more than `ceiling` (reader < writer < admin). */
export function isRoleAtMost(role: Role, ceiling: Role): boolean {
  return RANK[role] <= RANK[ceiling];
}

/** The narrower of two roles: what a key of role `a` gets from an owner holding `b`. */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/** The widest of several roles; undefined when there are none. */
export function highestRole(roles: Iterable<Role>): Role | undefined {
  let highest: Role | undefined;
  for (const role of roles) {
    if (highest === undefined || RANK[role] > RANK[highest]) highest = role;
  }
  return highest;
}
