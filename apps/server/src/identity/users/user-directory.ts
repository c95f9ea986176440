import type { Membership, UserIdentity } from '@cairn/policy';
import type { SqlRepositories, UserRow } from '@cairn/storage';
import { createExpiringCache } from '../expiring-cache.js';
import { isUuid } from './account-rules.js';

/** A user as authentication needs them: the row and what @cairn/policy decides on. */
export interface DirectoryUser {
  readonly row: UserRow;
  readonly identity: UserIdentity;
}

/**
 * Users and their tenant memberships, read through a short cache: every authenticated request
 * needs them, and a deactivation or password change made by another process must still take
 * effect within `cacheMs`. This process forgets a changed user at once.
 */
export interface UserDirectory {
  load(userId: string): Promise<DirectoryUser | undefined>;
  forget(userId: string): void;
  /** Tenant name of a tenant id (names never change, so they are kept). */
  tenantName(tenantId: string): Promise<string | undefined>;
}

export interface UserDirectoryOptions {
  readonly sql: Pick<SqlRepositories, 'users' | 'tenants'>;
  readonly cacheMs?: number;
  readonly maxCached?: number;
  readonly now?: () => number;
}

export function createUserDirectory({
  sql,
  cacheMs = 1000,
  maxCached = 10_000,
  now = Date.now,
}: UserDirectoryOptions): UserDirectory {
  const cache = createExpiringCache<string, Promise<DirectoryUser | undefined>>({
    ttlMs: cacheMs,
    maxEntries: maxCached,
    now,
  });
  const tenantNames = new Map<string, string>();

  const tenantName = async (tenantId: string) => {
    const known = tenantNames.get(tenantId);
    if (known !== undefined) return known;
    const tenant = await sql.tenants.findById(tenantId);
    if (tenant === undefined) return undefined;
    if (tenantNames.size >= maxCached) tenantNames.clear();
    tenantNames.set(tenantId, tenant.name);
    return tenant.name;
  };

  const read = async (userId: string): Promise<DirectoryUser | undefined> => {
    if (!isUuid(userId)) return undefined;
    const row = await sql.users.findById(userId);
    if (row === undefined) return undefined;
    const memberships: Membership[] = [];
    for (const membership of await sql.tenants.membershipsOfUser(userId)) {
      const tenant = await tenantName(membership.tenantId);
      if (tenant !== undefined) memberships.push({ tenant, role: membership.role });
    }
    memberships.sort((a, b) => a.tenant.localeCompare(b.tenant));
    return {
      row,
      identity: Object.freeze({
        userId: row.id,
        superuser: row.isSuperuser,
        memberships: Object.freeze(memberships),
      }),
    };
  };

  return {
    load(userId) {
      let pending = cache.get(userId);
      if (pending === undefined) {
        pending = read(userId);
        cache.set(userId, pending);
        pending.catch(() => cache.delete(userId));
      }
      return pending;
    },
    forget(userId) {
      cache.delete(userId);
    },
    tenantName,
  };
}
