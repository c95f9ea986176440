import type { Grant } from '@cairn/policy';
import type { AuditRecorder } from '../identity/audit.js';
import type { Denial } from './authorize.js';

/** The parts of the SQL store grants are read from (structural, so tests can pass a store). */
export interface GrantSources {
  readonly databases: {
    findByName(name: string): Promise<{ readonly id: string } | undefined>;
  };
  readonly grants: {
    listForDatabase(databaseId: string): Promise<
      ReadonlyArray<{
        readonly permission: Grant['permission'];
        readonly userId: string | null;
        readonly role: 'reader' | 'writer' | 'admin' | null;
        readonly tenantId: string | null;
      }>
    >;
  };
  readonly tenants: {
    findById(id: string): Promise<{ readonly name: string } | undefined>;
  };
}

/**
 * Grants of a database by name, as @cairn/policy reads them: the store keys grants by database
 * and tenant ids, the policy by the names requests use. An unknown database has no grants (the
 * policy decides on roles alone, and the caller learns nothing of what exists).
 */
export function createGrantLoader(sql: GrantSources): (database: string) => Promise<Grant[]> {
  // Tenant names never change once created, so a tenant id is looked up once.
  const tenantNames = new Map<string, Promise<string | undefined>>();
  const tenantName = (id: string) => {
    let name = tenantNames.get(id);
    if (name === undefined) {
      name = sql.tenants.findById(id).then((row) => row?.name);
      tenantNames.set(id, name);
      void name.catch(() => tenantNames.delete(id));
    }
    return name;
  };
  return async (database) => {
    const row = await sql.databases.findByName(database);
    if (row === undefined) return [];
    const grants: Grant[] = [];
    for (const stored of await sql.grants.listForDatabase(row.id)) {
      const base = { database, permission: stored.permission };
      if (stored.userId !== null) grants.push({ ...base, subject: { userId: stored.userId } });
      else if (stored.role !== null) grants.push({ ...base, subject: { role: stored.role } });
      else if (stored.tenantId !== null) {
        const tenant = await tenantName(stored.tenantId);
        if (tenant !== undefined) grants.push({ ...base, subject: { tenant } });
      }
    }
    return grants;
  };
}

/** Records each denial as `authorization.denied`: who, what, where, and the policy's reason. */
export function auditDenials(audit: Pick<AuditRecorder, 'record'>): (denial: Denial) => void {
  return ({ principal, action, resource, reason, source }) =>
    audit.record({
      action: 'authorization.denied',
      outcome: 'denied',
      actor: principal.id,
      target: resource.database ?? resource.tenant ?? null,
      clientIp: source.clientAddress ?? null,
      requestId: source.requestId ?? null,
      details: {
        operation: action,
        ...(resource.database === undefined ? {} : { database: resource.database }),
        ...(resource.tenant === undefined ? {} : { tenant: resource.tenant }),
        reason,
      },
    });
}
