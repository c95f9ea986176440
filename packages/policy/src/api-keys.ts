import { ALLOW, deny, listed } from './decision.js';
import { highestRole, isRoleAtMost } from './roles.js';
import type { Standing } from './standing.js';
import type { Decision, Resource, Role } from './types.js';

export type ApiKeyAction = 'apiKeys' | 'createApiKey' | 'rotateApiKey' | 'revokeApiKey';

/**
 * Anyone with a role manages its own keys, never making one wider than itself; admins manage
 * the keys of users in tenants where they are admin; a superuser manages all. A key acting for
 * its owner stays inside its own scope and role, also for keys it rotates: rotating hands out
 * the raw secret, so a narrow key must not rotate a wider one.
 */
export function decideApiKey(
  standing: Standing,
  action: ApiKeyAction,
  resource: Resource,
): Decision {
  if (standing.everything) return ALLOW;
  if (standing.userId !== undefined && resource.ownerUserId === standing.userId) {
    return decideOwnKey(standing, action, resource);
  }
  return decideAsAdmin(standing, action, resource);
}

function decideOwnKey(standing: Standing, action: ApiKeyAction, resource: Resource): Decision {
  if (standing.topRole() === undefined) {
    return deny(`${action} needs a role in some tenant (${standing.label} holds none)`);
  }
  if (action === 'apiKeys') return ALLOW;
  // A session's own keys never outgrow it (keys are capped by their owner when used), so only
  // a key acting for its owner, or a new key, is held to "no wider than the caller".
  if (action !== 'createApiKey' && standing.kind !== 'api-key') return ALLOW;
  return decideNoWider(standing, action, resource);
}

function decideNoWider(standing: Standing, action: ApiKeyAction, resource: Resource): Decision {
  const { role, databases, tenants } = resource;
  if (role === undefined || databases === undefined || tenants === undefined) {
    return deny(`${action} must state the key's role, databases and tenants`);
  }
  if (standing.databaseScope !== null) {
    const outside =
      databases === null
        ? ['every database']
        : databases.filter((d) => !standing.databaseScope?.includes(d));
    if (outside.length > 0) {
      return deny(
        `${standing.label} limited to databases [${listed(standing.databaseScope)}] cannot ${action} a key for ${listed(outside)}`,
      );
    }
  }
  let ceiling: Role | undefined;
  if (tenants === null) {
    if (standing.tenantScope !== null) {
      return deny(
        `${standing.label} limited to tenants [${listed(standing.tenantScope)}] cannot ${action} a key for every tenant`,
      );
    }
    ceiling = standing.topRole();
  } else {
    const roles: Role[] = [];
    for (const tenant of tenants) {
      const inTenant = standing.reachTenant(tenant);
      if (!inTenant.ok) return deny(`${inTenant.reason} (${action})`);
      roles.push(inTenant.role);
    }
    ceiling = highestRole(roles);
  }
  if (ceiling === undefined || !isRoleAtMost(role, ceiling)) {
    return deny(
      `${standing.label} with role ${ceiling ?? 'none'} cannot ${action} a key of role ${role}`,
    );
  }
  return ALLOW;
}

function decideAsAdmin(standing: Standing, action: ApiKeyAction, resource: Resource): Decision {
  if (resource.targetSuperuser === true) {
    return deny(`only a superuser may manage a superuser's keys (${action})`);
  }
  if (standing.databaseScope !== null) {
    return deny(`${standing.label} limited to databases cannot manage other users' keys`);
  }
  // Every tenant the key reaches (or, unscoped, its owner's tenants) must be one the caller
  // administers: an admin of one tenant never mints access to another.
  const covered = new Set<string>();
  if (resource.tenant !== undefined) covered.add(resource.tenant);
  if (action !== 'apiKeys') {
    const reached = resource.tenants ?? resource.ownerTenants;
    if (reached === undefined || reached === null) {
      return deny(`${action} of another user's key must state the tenants it reaches`);
    }
    for (const tenant of reached) covered.add(tenant);
  }
  if (covered.size === 0) {
    return deny(`${action} across every tenant needs a superuser; name the tenant`);
  }
  for (const tenant of covered) {
    const inTenant = standing.reachTenant(tenant);
    if (!inTenant.ok) return deny(`${inTenant.reason} (${action})`);
    if (inTenant.role !== 'admin') {
      return deny(`role ${inTenant.role} in tenant ${tenant} cannot ${action} (needs admin there)`);
    }
  }
  return ALLOW;
}
