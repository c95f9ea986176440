import type { SqlStore } from '@cairn/storage';
import { type AuthorizationSource, type Authorize, createAuthorizer } from '../auth/authorize.js';
import { createLockout } from '../auth/lockout.js';
import { createManagedResolver } from '../auth/managed-resolver.js';
import type { Principal, ResolvePrincipal } from '../auth/principal.js';
import { auditDenials, createGrantLoader } from '../auth/stored-grants.js';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { loadApiKeyPepper } from './api-keys/api-key-hasher.js';
import { ensureSuperuser } from './bootstrap/first-user.js';
import { createIdentity, DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS } from './create-identity.js';
import type { Identity } from './identity.js';
import { createTokenService } from './tokens/create-token-service.js';

export interface ManagedMode {
  readonly identity: Identity;
  readonly resolvePrincipal: ResolvePrincipal;
  readonly authorizer: (principal: Principal, source?: AuthorizationSource) => Authorize;
}

/** The deployment's identifier: PUBLIC_URL, else the address it listens on. */
export function deploymentUrl(config: Config): string {
  if (config.publicUrl !== undefined) return config.publicUrl.replace(/\/+$/, '');
  const scheme = config.tls === undefined ? 'http' : 'https';
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${scheme}://${host}:${config.port}`;
}

/**
 * Everything AUTH_ENABLED=true needs, over the open SQL store: token service, audit, lockout,
 * credential lookups, the principal resolver, stored grants, and the configured superuser.
 */
export async function openManagedMode(
  config: Config,
  sql: SqlStore,
  logger: Logger,
  /** Milliseconds since the epoch; a fake clock in tests (caches, lockout, token checks). */
  now?: () => number,
): Promise<ManagedMode> {
  const clock = now === undefined ? {} : { now };
  const url = deploymentUrl(config);
  const tokens = createTokenService({
    sql,
    issuer: url,
    audience: url,
    lifetimeSeconds: config.jwtLifetimeSeconds,
    jwtSecret: config.auth.mode === 'managed' ? config.auth.jwtSecret : undefined,
    ...clock,
  });
  const identity = createIdentity({
    sql,
    apiKeyPepper: await loadApiKeyPepper(sql.secrets),
    tokens,
    lockout: createLockout({
      limit: config.authFailureLimit,
      lockoutSeconds: config.authLockoutSeconds,
      ...clock,
    }),
    settings: {
      newUserIsActive: config.newUserIsActive,
      accessTokenLifetimeSeconds: config.jwtLifetimeSeconds,
      refreshTokenLifetimeSeconds: DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS,
    },
    logger,
    ...clock,
  });
  if (config.superuser !== undefined) {
    {
      const outcome = await ensureSuperuser(sql, config.superuser);
      logger.info(
        { username: outcome.user.username, created: outcome.outcome === 'created' },
        outcome.outcome === 'created'
          ? 'SUPERUSER: created'
          : 'SUPERUSER: a user of that name exists; left unchanged',
      );
      if (outcome.outcome === 'created') {
        identity.audit.record({
          action: 'user.create',
          outcome: 'success',
          actor: null,
          target: `user:${outcome.user.id}`,
          details: { username: outcome.user.username, isSuperuser: true, via: 'SUPERUSER' },
        });
      }
    }
  } else if ((await sql.users.count()) === 0) {
    logger.warn(
      `managed mode has no user yet: create the first one with the bootstrap mutation (see the README), SUPERUSER/SUPERUSER_PASSWORD, or \`cairn superuser\``,
    );
  }
  return {
    identity,
    resolvePrincipal: createManagedResolver(identity, now),
    authorizer: createAuthorizer({
      loadGrants: createGrantLoader(sql),
      onDenied: auditDenials(identity.audit),
    }),
  };
}
