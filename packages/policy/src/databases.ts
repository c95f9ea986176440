import { ALLOW, deny, listed } from './decision.js';
import type { Standing } from './standing.js';
import type { Decision, Grant, Resource } from './types.js';

export type DatabaseAction = 'databases' | 'createDatabase' | 'deleteDatabase';

/**
 * Listing is open to every authenticated caller because the server keeps only the databases
 * the caller may read (an `ask`-like check per database). Creating and deleting need the admin
 * role in some tenant the caller may act in, and a database-scoped key stays in its scope.
 */
export function decideDatabase(
  standing: Standing,
  action: DatabaseAction,
  resource: Resource,
  grants: readonly Grant[],
): Decision {
  if (action === 'databases' || standing.everything) return ALLOW;
  const { database } = resource;
  if (database === undefined) return deny(`${action} must name the database`);
  const inDatabase = standing.reachDatabase(database);
  if (!inDatabase.ok) return deny(`${inDatabase.reason} (${action})`);
  const top = standing.topRole();
  if (top !== 'admin') {
    return deny(
      `${action} needs the admin role in a tenant (${standing.label} holds ${top ?? 'no role'})`,
    );
  }
  if (action === 'deleteDatabase') {
    const held = standing.permissionsAnywhere(database, grants);
    if (!held.has('delete')) {
      return deny(`deleteDatabase needs delete on database ${database} (held: ${listed(held)})`);
    }
  }
  return ALLOW;
}
