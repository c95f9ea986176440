// The vocabulary of access decisions. Plain data only: the server builds these values from
// what it verified (a session, a key, an external token) and asks `decide`.

export const ROLES = ['reader', 'writer', 'admin'] as const;
/** reader: ask, list, read · writer: + tell, retract, teach, import · admin: + keys, users, databases. */
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['read', 'write', 'delete', 'share'] as const;
/** What a per-database grant gives: read facts and rules, write them, delete them, grant others. */
export type Permission = (typeof PERMISSIONS)[number];

/** A user's role inside one tenant (a user may belong to several tenants). */
export interface Membership {
  readonly tenant: string;
  readonly role: Role;
}

/** The user behind a session or an API key, as the store says they are now. */
export interface UserIdentity {
  readonly userId: string;
  readonly superuser: boolean;
  readonly memberships: readonly Membership[];
}

export type Principal =
  /** Authentication disabled (loopback only): the built-in local user may do everything. */
  | { readonly kind: 'local' }
  /** Legacy mode: the holder of the one shared `API_KEY` may do everything. */
  | { readonly kind: 'shared-api-key' }
  /** A logged-in user (access token from `login`). */
  | ({ readonly kind: 'user' } & UserIdentity)
  /**
   * An API key. It never gives more than its owner has now: its role, database and tenant
   * scopes narrow the owner's rights; a key whose owner is gone or inactive never gets here.
   */
  | {
      readonly kind: 'api-key';
      readonly keyId: string;
      readonly owner: UserIdentity;
      readonly role: Role;
      /** Databases the key is limited to; null = every database its owner may use. */
      readonly databases: readonly string[] | null;
      /** Tenants the key is limited to; null = every tenant its owner belongs to. */
      readonly tenants: readonly string[] | null;
    }
  /** A token minted by another system with `JWT_SECRET` (claims user_id, tenant_id, roles). */
  | {
      readonly kind: 'external-token';
      readonly subject: string;
      readonly tenant: string;
      readonly roles: readonly Role[];
    };

/** Who a grant is given to. */
export type GrantSubject =
  | { readonly userId: string }
  | { readonly role: Role }
  | { readonly tenant: string };

export interface Grant {
  readonly database: string;
  readonly permission: Permission;
  readonly subject: GrantSubject;
}

/**
 * Every operation the API offers, named after it. The policy maps each one to what it needs,
 * so the server never decides "this one needs write" itself.
 */
export const ACTIONS = [
  // knowledge, inside one database and one tenant
  'ask',
  'facts',
  'predicates',
  'rules',
  'tell',
  'tellMany',
  'retract',
  'teach',
  'forgetRule',
  'importFacts',
  // databases
  'databases',
  'createDatabase',
  'deleteDatabase',
  // grants on one database
  'grants',
  'grant',
  'revoke',
  // users
  'users',
  'createUser',
  'updateUser',
  // API keys
  'apiKeys',
  'createApiKey',
  'rotateApiKey',
  'revokeApiKey',
  // audit
  'auditEvents',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Fields of an account an `updateUser` changes. A user may change `password` and `email` of
 * their own account; everything else needs an admin of the user's tenant (or a superuser).
 */
export const ACCOUNT_FIELDS = [
  'username',
  'password',
  'email',
  'role',
  'tenant',
  'isActive',
  'superuser',
] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

/**
 * What the action touches. Fields that do not apply to an action are left out.
 * - knowledge actions: `database` and `tenant` (the partition, already defaulted; for `rules`,
 *   `teach`, `forgetRule` the caller's tenant).
 * - database and grant actions: `database`; `grant`/`revoke` also `permission` being given and
 *   `tenant` when the grant's subject is a tenant's members.
 * - user actions: `tenant` of the user managed, `role` and `superuser` being given,
 *   `targetUserId` and `targetSuperuser` of the user changed, `changes` the fields `updateUser`
 *   sets (a user may change `password` and `email` of their own account).
 * - API key actions: `role`, `databases`, `tenants` the key would have or has (null =
 *   unscoped), `ownerUserId` of the key acted on, `ownerTenants` the owner's tenants and
 *   `targetSuperuser` whether the owner is a superuser (for keys of someone else).
 * - `auditEvents`, `users`, `apiKeys` listing: `tenant` being listed, when one is.
 */
export interface Resource {
  readonly database?: string;
  readonly tenant?: string;
  readonly permission?: Permission;
  readonly role?: Role;
  readonly superuser?: boolean;
  readonly databases?: readonly string[] | null;
  readonly tenants?: readonly string[] | null;
  readonly targetUserId?: string;
  readonly ownerUserId?: string;
  readonly ownerTenants?: readonly string[];
  readonly targetSuperuser?: boolean;
  readonly changes?: readonly AccountField[];
}

export type Decision =
  | { readonly allowed: true }
  /** `reason` is safe to show the caller: it speaks of the caller's rights, never of data. */
  | { readonly allowed: false; readonly reason: string };
