// Principals for the decision tables: a few users, their keys, external tokens.
import type { Membership, Principal, Role, UserIdentity } from '../src/index.js';

export function identity(userId: string, memberships: readonly Membership[] = []): UserIdentity {
  return { userId, superuser: false, memberships };
}

export function user(userId: string, memberships: readonly Membership[] = []): Principal {
  return { kind: 'user', ...identity(userId, memberships) };
}

export function superuser(userId = 'root'): Principal {
  return { kind: 'user', userId, superuser: true, memberships: [] };
}

/** `acme` member with `role`: the usual caller of the tables. */
export function acmeUser(role: Role, userId = `u-${role}`): Principal {
  return user(userId, [{ tenant: 'acme', role }]);
}

export function key(
  owner: UserIdentity,
  role: Role,
  scope: { databases?: readonly string[] | null; tenants?: readonly string[] | null } = {},
): Principal {
  return {
    kind: 'api-key',
    keyId: `k-${owner.userId}-${role}`,
    owner,
    role,
    databases: scope.databases ?? null,
    tenants: scope.tenants ?? null,
  };
}

export function external(tenant: string, roles: readonly Role[]): Principal {
  return { kind: 'external-token', subject: 'ext-1', tenant, roles };
}

export const ROOT: UserIdentity = { userId: 'root', superuser: true, memberships: [] };
