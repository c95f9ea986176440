import type { SymmetricKey } from '@cairn/crypto';
import type { SqlStore } from '@cairn/storage';
import type { Lockout } from '../auth/lockout.js';
import type { Logger } from '../observability/logger.js';
import { createApiKeyHasher } from './api-keys/api-key-hasher.js';
import { createApiKeyLookup } from './api-keys/api-key-lookup.js';
import { createAuditRecorder } from './audit-recorder.js';
import type { Identity, IdentitySettings } from './identity.js';
import type { TokenService } from './tokens/token-service.js';
import { createUserDirectory } from './users/user-directory.js';

export interface CreateIdentityOptions {
  readonly sql: SqlStore;
  /** From `loadApiKeyPepper`: the secret API keys are hashed under. */
  readonly apiKeyPepper: SymmetricKey;
  readonly tokens: TokenService;
  /** The same instance the authentication plugin counts failures in. */
  readonly lockout: Lockout;
  readonly settings: IdentitySettings;
  readonly logger: Logger;
  /** How long credential lookups are reused (default 1 s: the revocation delay across processes). */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/** Refresh tokens live 30 days unless used: a month away from a client ends its session. */
export const DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

/** Managed mode's services over one SQL store. */
export function createIdentity(options: CreateIdentityOptions): Identity {
  const { sql, logger } = options;
  const apiKeyHasher = createApiKeyHasher(options.apiKeyPepper);
  const clock = options.now === undefined ? {} : { now: options.now };
  const cacheMs = options.cacheMs ?? 1000;
  return {
    sql,
    tokens: options.tokens,
    audit: createAuditRecorder({ auditEvents: sql.auditEvents, logger }),
    lockout: options.lockout,
    settings: options.settings,
    apiKeyHasher,
    apiKeys: createApiKeyLookup({
      apiKeys: sql.apiKeys,
      hasher: apiKeyHasher,
      cacheMs,
      ...clock,
      onTouchFailed: (error) =>
        logger.warn({ error: (error as Error).message }, 'API key last-used time not written'),
    }),
    users: createUserDirectory({ sql, cacheMs, ...clock }),
  };
}
