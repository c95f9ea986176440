import type { Action, Decision, Grant, Principal, Resource } from './types.js';

const ALLOW: Decision = Object.freeze({ allowed: true });

/**
 * The one decision of Cairn: may `principal` do `action` on `resource`, given the grants
 * stored for the resource's database. Pure: no clock, no I/O, same answer for same input.
 */
export function decide(
  principal: Principal,
  _action: Action,
  _resource: Resource,
  _grants: readonly Grant[] = [],
): Decision {
  switch (principal.kind) {
    case 'local':
    case 'shared-api-key':
      return ALLOW;
    default:
      // Managed-mode principals are decided by role, scope and grant (in progress).
      return { allowed: false, reason: 'managed-mode decisions are not available yet' };
  }
}
