import type { SqlStore } from '@cairn/storage';
import type { Lockout } from '../auth/lockout.js';
import type { ApiKeyHasher } from './api-keys/api-key-hasher.js';
import type { ApiKeyLookup } from './api-keys/api-key-lookup.js';
import type { AuditRecorder } from './audit.js';
import type { TokenService } from './tokens/token-service.js';
import type { UserDirectory } from './users/user-directory.js';

/** Managed mode's services, handed to resolvers through the request context. */
export interface Identity {
  readonly sql: SqlStore;
  readonly tokens: TokenService;
  readonly audit: AuditRecorder;
  /** The per-address lockout the authentication plugin uses; login failures count too. */
  readonly lockout: Lockout;
  readonly settings: IdentitySettings;
  /** Hashes API keys under the master key's pepper (store and look up with the same one). */
  readonly apiKeyHasher: ApiKeyHasher;
  /** API keys by presented secret, cached ≤ 1 s; forget a key after changing it. */
  readonly apiKeys: ApiKeyLookup;
  /** Users with their memberships, cached ≤ 1 s; forget a user after changing them. */
  readonly users: UserDirectory;
}

export interface IdentitySettings {
  readonly newUserIsActive: boolean;
  readonly accessTokenLifetimeSeconds: number;
  readonly refreshTokenLifetimeSeconds: number;
}
