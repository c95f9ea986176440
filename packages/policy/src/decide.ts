import { decideAccount } from './accounts.js';
import { decideApiKey } from './api-keys.js';
import { decideAudit } from './audit.js';
import { decideDatabase } from './databases.js';
import { decideKnowledge } from './knowledge.js';
import { decideSharing } from './sharing.js';
import { standingOf } from './standing.js';
import type { Action, Decision, Grant, Principal, Resource } from './types.js';

/**
 * The one decision of Cairn: may `principal` do `action` on `resource`, given the grants
 * stored for the resource's database. Pure: no clock, no I/O, same answer for same input.
 */
export function decide(
  principal: Principal,
  action: Action,
  resource: Resource,
  grants: readonly Grant[] = [],
): Decision {
  const standing = standingOf(principal);
  switch (action) {
    case 'ask':
    case 'facts':
    case 'predicates':
    case 'rules':
    case 'tell':
    case 'tellMany':
    case 'retract':
    case 'teach':
    case 'forgetRule':
    case 'importFacts':
      return decideKnowledge(standing, action, resource, grants);
    case 'databases':
    case 'createDatabase':
    case 'deleteDatabase':
      return decideDatabase(standing, action, resource, grants);
    case 'grants':
    case 'grant':
    case 'revoke':
      return decideSharing(standing, action, resource, grants);
    case 'users':
    case 'createUser':
    case 'updateUser':
      return decideAccount(standing, action, resource);
    case 'apiKeys':
    case 'createApiKey':
    case 'rotateApiKey':
    case 'revokeApiKey':
      return decideApiKey(standing, action, resource);
    case 'auditEvents':
      return decideAudit(standing, resource);
  }
}
