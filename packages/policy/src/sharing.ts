import { ALLOW, deny, listed } from './decision.js';
import type { Standing } from './standing.js';
import type { Decision, Grant, Resource } from './types.js';

export type SharingAction = 'grants' | 'grant' | 'revoke';

/**
 * Grants of a database are managed by whoever holds `share` on it (admins by their role), and
 * only for permissions they hold there themselves. A grant to a tenant's members names that
 * tenant in `resource.tenant`: the caller must hold the rights in that tenant.
 */
export function decideSharing(
  standing: Standing,
  action: SharingAction,
  resource: Resource,
  grants: readonly Grant[],
): Decision {
  if (standing.everything) return ALLOW;
  const { database, tenant, permission } = resource;
  if (database === undefined) return deny(`${action} must name the database`);
  const inDatabase = standing.reachDatabase(database);
  if (!inDatabase.ok) return deny(`${inDatabase.reason} (${action})`);
  let held: Set<string>;
  let where: string;
  if (tenant === undefined) {
    held = standing.permissionsAnywhere(database, grants);
    where = `database ${database}`;
  } else {
    const inTenant = standing.reachTenant(tenant);
    if (!inTenant.ok) return deny(`${inTenant.reason} (${action})`);
    held = standing.permissionsIn(database, tenant, grants);
    where = `database ${database} in tenant ${tenant}`;
  }
  if (!held.has('share')) {
    return deny(`${action} needs share on ${where} (held: ${listed(held)})`);
  }
  if (action === 'grants') return ALLOW;
  if (permission === undefined) return deny(`${action} must name the permission given`);
  if (!held.has(permission)) {
    return deny(`${action} cannot give ${permission} on ${where}: the caller does not hold it`);
  }
  return ALLOW;
}
