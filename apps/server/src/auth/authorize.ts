import { type Action, decide, type Grant, type Resource } from '@cairn/policy';
import { CairnError } from '../errors.js';
import type { Principal } from './principal.js';

/** Throws FORBIDDEN unless @cairn/policy allows it. Every resolver calls this, nothing else. */
export interface Authorize {
  (action: Action, resource?: Resource): Promise<void>;
  /**
   * The same decision as a boolean, and no denial recorded: for keeping in a list only what
   * the caller may see (databases, tenants), where leaving something out is not a refusal.
   */
  allows(action: Action, resource?: Resource): Promise<boolean>;
}

/** Where the request came from, for the audit trail of denials. */
export interface AuthorizationSource {
  readonly clientAddress?: string | undefined;
  readonly requestId?: string | undefined;
}

export interface Denial {
  readonly principal: Principal;
  readonly action: Action;
  readonly resource: Resource;
  readonly reason: string;
  readonly source: AuthorizationSource;
}

export interface AuthorizerDependencies {
  /** The grants stored for a database (managed mode); none in the other modes. */
  readonly loadGrants?: (database: string) => Promise<readonly Grant[]>;
  /** Called with every denial, for the audit trail and metrics. */
  readonly onDenied?: (denial: Denial) => void;
}

export function createAuthorizer(deps: AuthorizerDependencies) {
  return (principal: Principal, source: AuthorizationSource = {}): Authorize => {
    // One request asks about the same database repeatedly (a list filtered per database):
    // its grants are read once per request, and a request never sees two versions of them.
    const grantsByDatabase = new Map<string, Promise<readonly Grant[]>>();
    const grantsFor = (database: string | undefined): Promise<readonly Grant[]> => {
      const access = principal.access;
      const needsGrants =
        access !== null && access.kind !== 'local' && access.kind !== 'shared-api-key';
      if (!needsGrants || database === undefined || deps.loadGrants === undefined) {
        return Promise.resolve([]);
      }
      let grants = grantsByDatabase.get(database);
      if (grants === undefined) {
        grants = deps.loadGrants(database);
        grantsByDatabase.set(database, grants);
      }
      return grants;
    };
    const decideFor = async (action: Action, resource: Resource) => {
      const access = principal.access;
      if (access === null) {
        throw new CairnError('UNAUTHENTICATED', 'authentication required for this operation');
      }
      return decide(access, action, resource, await grantsFor(resource.database));
    };
    const authorize = async (action: Action, resource: Resource = {}) => {
      const decision = await decideFor(action, resource);
      if (decision.allowed) return;
      deps.onDenied?.({ principal, action, resource, reason: decision.reason, source });
      throw new CairnError('FORBIDDEN', decision.reason);
    };
    return Object.assign(authorize, {
      allows: async (action: Action, resource: Resource = {}) => {
        if (principal.access === null) return false;
        return (await decideFor(action, resource)).allowed;
      },
    });
  };
}
