import { DEFAULT_TENANT } from '@cairn/logic';
import type { Action } from '@cairn/policy';
import {
  type Actor,
  resolveTargetNames,
  type Target,
  type TargetNames,
} from '../knowledge/operations.js';
import type { RequestContext } from './context.js';

export function actorOf(context: RequestContext): Actor {
  return { id: context.principal.id, tenant: context.principal.tenant ?? undefined };
}

/**
 * Resolves the database and tenant exactly as the operation will use them, asks the policy
 * (FORBIDDEN unless allowed) and returns them: call it before touching any data, and pass
 * what it returns to the operation.
 */
export async function authorizeTarget(
  context: RequestContext,
  action: Action,
  target: Target,
): Promise<TargetNames> {
  const names = resolveTargetNames(actorOf(context), target);
  await context.authorize(action, names);
  return names;
}

/**
 * Rules belong to the database, shared by its tenants; the caller still acts from its own
 * tenant, which is what the policy checks for rules, teach and forgetRule.
 */
export async function authorizeDatabaseTarget(
  context: RequestContext,
  action: Action,
  target: { readonly database?: string | null | undefined },
): Promise<TargetNames> {
  const names = resolveTargetNames(actorOf(context), {
    database: target.database,
    tenant: context.principal.tenant ?? DEFAULT_TENANT,
  });
  await context.authorize(action, names);
  return names;
}
