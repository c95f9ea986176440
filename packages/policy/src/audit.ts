import { ALLOW, deny } from './decision.js';
import type { Standing } from './standing.js';
import type { Decision, Resource } from './types.js';

/** The audit trail of a tenant is its admins'; the whole trail is the superuser's. */
export function decideAudit(standing: Standing, resource: Resource): Decision {
  if (standing.everything) return ALLOW;
  const { tenant } = resource;
  if (tenant === undefined)
    return deny('auditEvents of every tenant needs a superuser; name the tenant');
  if (standing.databaseScope !== null) {
    return deny(`${standing.label} limited to databases cannot read the audit trail`);
  }
  const inTenant = standing.reachTenant(tenant);
  if (!inTenant.ok) return deny(`${inTenant.reason} (auditEvents)`);
  if (inTenant.role !== 'admin') {
    return deny(
      `role ${inTenant.role} in tenant ${tenant} cannot read auditEvents (needs admin there)`,
    );
  }
  return ALLOW;
}
