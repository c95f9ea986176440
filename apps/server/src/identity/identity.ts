import type { SqlStore } from '@cairn/storage';
import type { Lockout } from '../auth/lockout.js';
import type { AuditRecorder } from './audit.js';
import type { TokenService } from './tokens/token-service.js';

/** Managed mode's services, handed to resolvers through the request context. */
export interface Identity {
  readonly sql: SqlStore;
  readonly tokens: TokenService;
  readonly audit: AuditRecorder;
  /** The per-address lockout the authentication plugin uses; login failures count too. */
  readonly lockout: Lockout;
  readonly settings: IdentitySettings;
}

export interface IdentitySettings {
  readonly newUserIsActive: boolean;
  readonly accessTokenLifetimeSeconds: number;
  readonly refreshTokenLifetimeSeconds: number;
}
