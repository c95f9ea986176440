import type { Identity } from '../../identity/identity.js';
import type { AccountBackoff } from './account-backoff.js';

/** What login and refresh hand back (DESIGN §6 `Session`). */
export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires. */
  readonly expiresAt: Date;
}

/** Where a request came from, for the lockout count and the audit trail. */
export interface SessionRequest {
  readonly clientAddress: string | undefined;
  readonly requestId: string | undefined;
}

export interface SessionService {
  /** Throws CairnError UNAUTHENTICATED "invalid username or password" for every refusal. */
  login(username: string, password: string, request: SessionRequest): Promise<Session>;
  /** Spends the refresh token and issues a new one in the same family. */
  refreshSession(refreshToken: string, request: SessionRequest): Promise<Session>;
  /** Revokes the family of the refresh token; false when the token is unknown. */
  logout(refreshToken: string, request: SessionRequest): Promise<boolean>;
}

export type SessionIdentity = Pick<Identity, 'sql' | 'tokens' | 'audit' | 'lockout' | 'settings'>;

export interface SessionServiceOptions {
  readonly identity: SessionIdentity;
  /** Per-username login backoff; one per process (default: createAccountBackoff()). */
  readonly backoff?: AccountBackoff;
  /** Milliseconds since the epoch; a fake clock in tests. */
  readonly now?: () => number;
  /** How often a login also deletes long-expired refresh tokens (default hourly). */
  readonly sweepEveryMs?: number;
}

/** The message of every refused login: it never says which part was wrong. */
export const INVALID_LOGIN_MESSAGE = 'invalid username or password';
export const INVALID_REFRESH_MESSAGE = 'the refresh token is not valid; log in again';
