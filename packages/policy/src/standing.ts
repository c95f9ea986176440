import { grantedPermissions } from './grants.js';
import { highestRole, lowerRole, ROLE_PERMISSIONS } from './roles.js';
import type { Grant, Permission, Principal, Role, UserIdentity } from './types.js';
import { PERMISSIONS } from './types.js';

export type Reach = { readonly ok: true; readonly role: Role } | Refusal;
export type Refusal = { readonly ok: false; readonly reason: string };

/**
 * A principal reduced to what decisions need: its roles per tenant, its scopes, its
 * permissions per database. Every principal kind becomes one of these, so the rules of each
 * action are written once.
 */
export interface Standing {
  readonly kind: Principal['kind'];
  /** How denial reasons name the caller. */
  readonly label: string;
  /** The Cairn user it acts for; undefined for external tokens. */
  readonly userId: string | undefined;
  /** A superuser session, an unscoped admin key of a superuser, local, the shared key. */
  readonly everything: boolean;
  /** Databases an API key is limited to; null = no database limit. */
  readonly databaseScope: readonly string[] | null;
  /** Tenants an API key is limited to; null = no limit beyond its owner's memberships. */
  readonly tenantScope: readonly string[] | null;
  /** Its widest role in any tenant it may act in; undefined = none. */
  topRole(): Role | undefined;
  /** Whether it may change its own account: a session, or a key exactly as wide as its owner. */
  actsAsOwner(): boolean;
  reachTenant(tenant: string): Reach;
  reachDatabase(database: string): { readonly ok: true } | Refusal;
  /** Permissions on `database` while acting in `tenant`; empty where it cannot act. */
  permissionsIn(database: string, tenant: string, grants: readonly Grant[]): Set<Permission>;
  /** Permissions on `database` in any tenant it may act in. */
  permissionsAnywhere(database: string, grants: readonly Grant[]): Set<Permission>;
}

const REACH_ANY_DATABASE = Object.freeze({ ok: true } as const);

// A request asks about one principal many times in a row (a list filtered per database): the
// last standing is kept. One slot, not a WeakMap: a WeakMap entry per request cost more (GC of
// ephemerons) than it saved. Principals are immutable values, so the slot cannot go stale.
let lastPrincipal: Principal | undefined;
let lastStanding: Standing | undefined;

export function standingOf(principal: Principal): Standing {
  if (principal !== lastPrincipal || lastStanding === undefined) {
    lastStanding = buildStanding(principal);
    lastPrincipal = principal;
  }
  return lastStanding;
}

function buildStanding(principal: Principal): Standing {
  switch (principal.kind) {
    case 'local':
      return everything('local', 'the local user', undefined);
    case 'shared-api-key':
      return everything('shared-api-key', 'the shared API key', undefined);
    case 'user':
      return principal.superuser
        ? everything('user', 'superuser', principal.userId)
        : member(principal);
    case 'api-key':
      return keyStanding(principal);
    case 'external-token':
      return externalToken(principal);
  }
}

function everything(kind: Principal['kind'], label: string, userId: string | undefined): Standing {
  const all = () => new Set<Permission>(PERMISSIONS);
  return {
    kind,
    label,
    userId,
    everything: true,
    databaseScope: null,
    tenantScope: null,
    topRole: () => 'admin',
    actsAsOwner: () => true,
    reachTenant: () => ({ ok: true, role: 'admin' }),
    reachDatabase: () => REACH_ANY_DATABASE,
    permissionsIn: all,
    permissionsAnywhere: all,
  };
}

function rolesByTenant(identity: UserIdentity): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const { tenant, role } of identity.memberships) {
    const held = roles.get(tenant);
    // A tenant listed twice counts with its wider role.
    roles.set(tenant, held === undefined ? role : (highestRole([held, role]) ?? role));
  }
  return roles;
}

function member(identity: UserIdentity, label = 'user'): Standing {
  const roles = rolesByTenant(identity);
  const permissionsIn = (database: string, tenant: string, grants: readonly Grant[]) => {
    const role = roles.get(tenant);
    if (role === undefined) return new Set<Permission>();
    return new Set<Permission>([
      ...ROLE_PERMISSIONS[role],
      ...grantedPermissions(grants, database, { userId: identity.userId, role, tenant }),
    ]);
  };
  return {
    kind: 'user',
    label,
    userId: identity.userId,
    everything: false,
    databaseScope: null,
    tenantScope: null,
    topRole: () => highestRole(roles.values()),
    actsAsOwner: () => true,
    reachTenant: (tenant) => {
      const role = roles.get(tenant);
      return role === undefined
        ? { ok: false, reason: `${label} is not a member of tenant ${tenant}` }
        : { ok: true, role };
    },
    reachDatabase: () => REACH_ANY_DATABASE,
    permissionsIn,
    permissionsAnywhere: (database, grants) =>
      unionOver([...roles.keys()], (tenant) => permissionsIn(database, tenant, grants)),
  };
}

type KeyPrincipal = Extract<Principal, { kind: 'api-key' }>;

function keyStanding(key: KeyPrincipal): Standing {
  const unscoped = key.databases === null && key.tenants === null;
  if (key.owner.superuser && unscoped && key.role === 'admin') {
    return everything('api-key', 'superuser API key', key.owner.userId);
  }
  const label = 'API key';
  const keyPermissions = ROLE_PERMISSIONS[key.role];
  // A superuser's narrower key holds its own role in every tenant; anyone else's key holds at
  // most what its owner holds in each tenant now.
  const owner: Standing | undefined = key.owner.superuser ? undefined : member(key.owner, 'owner');
  const inTenantScope = (tenant: string) => key.tenants === null || key.tenants.includes(tenant);
  const inDatabaseScope = (database: string) =>
    key.databases === null || key.databases.includes(database);
  const reachTenant = (tenant: string): Reach => {
    if (!inTenantScope(tenant)) {
      return {
        ok: false,
        reason: `API key is limited to tenants [${key.tenants?.join(', ')}] and cannot act in tenant ${tenant}`,
      };
    }
    if (owner === undefined) return { ok: true, role: key.role };
    const held = owner.reachTenant(tenant);
    if (!held.ok)
      return { ok: false, reason: `the API key's owner is not a member of tenant ${tenant}` };
    return { ok: true, role: lowerRole(key.role, held.role) };
  };
  const permissionsIn = (database: string, tenant: string, grants: readonly Grant[]) => {
    if (!inTenantScope(tenant) || !inDatabaseScope(database)) return new Set<Permission>();
    const held =
      owner === undefined
        ? new Set<Permission>(PERMISSIONS)
        : owner.permissionsIn(database, tenant, grants);
    return new Set(keyPermissions.filter((permission) => held.has(permission)));
  };
  // Only account and key decisions need these: computed on first use.
  const reachable = once((): readonly string[] | null => {
    const ownerTenants = owner === undefined ? null : [...rolesByTenant(key.owner).keys()];
    if (key.tenants === null) return ownerTenants;
    return key.tenants.filter((tenant) => ownerTenants === null || ownerTenants.includes(tenant));
  });
  const highest = once(() => {
    const tenants = reachable();
    if (tenants === null) return key.role;
    return highestRole(
      tenants.flatMap((tenant) => {
        const reach = reachTenant(tenant);
        return reach.ok ? [reach.role] : [];
      }),
    );
  });
  return {
    kind: 'api-key',
    label,
    userId: key.owner.userId,
    everything: false,
    databaseScope: key.databases,
    tenantScope: key.tenants,
    topRole: highest,
    actsAsOwner: () => {
      const ownerHighest = owner?.topRole();
      return (
        unscoped && ownerHighest !== undefined && lowerRole(key.role, ownerHighest) === ownerHighest
      );
    },
    reachTenant,
    reachDatabase: (database) =>
      inDatabaseScope(database)
        ? REACH_ANY_DATABASE
        : {
            ok: false,
            reason: `API key is limited to databases [${key.databases?.join(', ')}] and cannot reach database ${database}`,
          },
    permissionsIn,
    permissionsAnywhere: (database, grants) => {
      const tenants = reachable();
      if (tenants !== null) {
        return unionOver(tenants, (tenant) => permissionsIn(database, tenant, grants));
      }
      return new Set(inDatabaseScope(database) ? keyPermissions : []);
    },
  };
}

type ExternalPrincipal = Extract<Principal, { kind: 'external-token' }>;

function externalToken(token: ExternalPrincipal): Standing {
  const role = highestRole(token.roles);
  const label = 'external token';
  const permissionsIn = (database: string, tenant: string, grants: readonly Grant[]) => {
    if (role === undefined || tenant !== token.tenant) return new Set<Permission>();
    // External subjects live in another system's namespace: user grants never match them.
    return new Set<Permission>([
      ...ROLE_PERMISSIONS[role],
      ...grantedPermissions(grants, database, { userId: undefined, role, tenant }),
    ]);
  };
  return {
    kind: 'external-token',
    label,
    userId: undefined,
    everything: false,
    databaseScope: null,
    tenantScope: [token.tenant],
    topRole: () => role,
    actsAsOwner: () => false,
    reachTenant: (tenant) => {
      if (tenant !== token.tenant) {
        return {
          ok: false,
          reason: `external token of tenant ${token.tenant} cannot act in tenant ${tenant}`,
        };
      }
      return role === undefined
        ? { ok: false, reason: 'external token carries no role' }
        : { ok: true, role };
    },
    reachDatabase: () => REACH_ANY_DATABASE,
    permissionsIn,
    permissionsAnywhere: (database, grants) => permissionsIn(database, token.tenant, grants),
  };
}

function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

function unionOver(tenants: readonly string[], of: (tenant: string) => Set<Permission>) {
  const union = new Set<Permission>();
  for (const tenant of tenants) for (const permission of of(tenant)) union.add(permission);
  return union;
}
