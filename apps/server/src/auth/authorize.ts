import { type Action, decide, type Grant, type Resource } from '@cairn/policy';
import { CairnError } from '../errors.js';
import type { Principal } from './principal.js';

/** Throws FORBIDDEN unless @cairn/policy allows it. Every resolver calls this, nothing else. */
export type Authorize = (action: Action, resource?: Resource) => Promise<void>;

export interface AuthorizerDependencies {
  /** The grants stored for a database (managed mode); none in the other modes. */
  readonly loadGrants?: (database: string) => Promise<readonly Grant[]>;
  /** Called with every denial, for the audit trail and metrics. */
  readonly onDenied?: (
    principal: Principal,
    action: Action,
    resource: Resource,
    reason: string,
  ) => void;
}

export function createAuthorizer(deps: AuthorizerDependencies) {
  return (principal: Principal): Authorize =>
    async (action, resource = {}) => {
      const access = principal.access;
      if (access === null) {
        throw new CairnError('UNAUTHENTICATED', 'authentication required for this operation');
      }
      const needsGrants = access.kind !== 'local' && access.kind !== 'shared-api-key';
      const grants =
        needsGrants && resource.database !== undefined && deps.loadGrants !== undefined
          ? await deps.loadGrants(resource.database)
          : [];
      const decision = decide(access, action, resource, grants);
      if (decision.allowed) return;
      deps.onDenied?.(principal, action, resource, decision.reason);
      throw new CairnError('FORBIDDEN', decision.reason);
    };
}
