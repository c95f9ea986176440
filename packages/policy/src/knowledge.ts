import { ALLOW, deny } from './decision.js';
import type { Standing } from './standing.js';
import type { Decision, Grant, Permission, Resource } from './types.js';

/** What each knowledge action needs on the database, in the tenant's partition. */
export const KNOWLEDGE_NEEDS = Object.freeze({
  ask: 'read',
  facts: 'read',
  predicates: 'read',
  rules: 'read',
  tell: 'write',
  tellMany: 'write',
  teach: 'write',
  importFacts: 'write',
  retract: 'delete',
  forgetRule: 'delete',
} as const satisfies Record<string, Permission>);

export type KnowledgeAction = keyof typeof KNOWLEDGE_NEEDS;

/**
 * Rules are the database's (shared by its tenants) but the caller still acts from one tenant:
 * `resource.tenant` is that tenant for `rules`, `teach` and `forgetRule` too.
 */
export function decideKnowledge(
  standing: Standing,
  action: KnowledgeAction,
  resource: Resource,
  grants: readonly Grant[],
): Decision {
  if (standing.everything) return ALLOW;
  const { database, tenant } = resource;
  if (database === undefined || tenant === undefined) {
    return deny(`${action} must name the database and the tenant it acts in`);
  }
  const inDatabase = standing.reachDatabase(database);
  if (!inDatabase.ok) return deny(`${inDatabase.reason} (${action})`);
  const inTenant = standing.reachTenant(tenant);
  if (!inTenant.ok) return deny(`${inTenant.reason} (${action})`);
  const needs = KNOWLEDGE_NEEDS[action];
  if (standing.permissionsIn(database, tenant, grants).has(needs)) return ALLOW;
  return deny(
    `role ${inTenant.role} in tenant ${tenant} cannot ${action} (needs ${needs} on database ${database})`,
  );
}
