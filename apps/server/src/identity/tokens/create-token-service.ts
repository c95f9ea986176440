import type { SqlStore } from '@cairn/storage';
import { issueAccessToken, verifyAccessToken } from './access-tokens.js';
import { verifyExternalToken } from './external-tokens.js';
import { createSigningKeys } from './signing-keys.js';
import { ACTIVE_KEY_CACHE_MS, CLOCK_TOLERANCE_SECONDS } from './token-limits.js';
import type { TokenService } from './token-service.js';

export interface TokenServiceOptions {
  readonly sql: SqlStore;
  /** `iss` of every access token (the deployment's URL). */
  readonly issuer: string;
  /** `aud` of every access token: the deployment's resource identifier (PUBLIC_URL). */
  readonly audience: string;
  readonly lifetimeSeconds: number;
  /** JWT_SECRET: also accept HS256 tokens minted by another system. */
  readonly jwtSecret?: string | undefined;
  /** Milliseconds since the epoch; a fake clock in tests. */
  readonly now?: () => number;
}

/** Longest access-token lifetime accepted: a day; managed mode's default is far shorter. */
export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 86_400;

function assertOptions(options: TokenServiceOptions): void {
  const { issuer, audience, lifetimeSeconds, jwtSecret } = options;
  if (issuer === '' || audience === '') {
    throw new RangeError('createTokenService needs a non-empty issuer and audience (PUBLIC_URL)');
  }
  if (
    !Number.isInteger(lifetimeSeconds) ||
    lifetimeSeconds < 1 ||
    lifetimeSeconds > MAX_ACCESS_TOKEN_LIFETIME_SECONDS
  ) {
    throw new RangeError(
      `access-token lifetime must be a whole number of seconds from 1 to ${MAX_ACCESS_TOKEN_LIFETIME_SECONDS}, got ${lifetimeSeconds}`,
    );
  }
  if (jwtSecret === '') {
    throw new RangeError('JWT_SECRET is empty: unset it, or set at least 32 random bytes');
  }
}

/**
 * Cairn's token service: EdDSA (Ed25519) access tokens whose keys live sealed in the SQL
 * store, and, with a JWT secret, HS256 external tokens.
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  assertOptions(options);
  const now = options.now ?? Date.now;
  const keys = createSigningKeys({
    sql: options.sql,
    retentionMs: (options.lifetimeSeconds + CLOCK_TOLERANCE_SECONDS) * 1000 + ACTIVE_KEY_CACHE_MS,
    now,
  });
  const settings = {
    keys,
    issuer: options.issuer,
    audience: options.audience,
    lifetimeSeconds: options.lifetimeSeconds,
    now,
  };
  const { jwtSecret } = options;
  return {
    issueAccessToken: (subject) => issueAccessToken(settings, subject),
    verifyAccessToken: (token) => verifyAccessToken(settings, token),
    verifyExternalToken:
      jwtSecret === undefined
        ? undefined
        : (token) =>
            verifyExternalToken({ secret: jwtSecret, audience: options.audience, now }, token),
    jwks: async () => ({ keys: (await keys.published()).map((jwk) => ({ ...jwk })) }),
    rotateSigningKey: () => keys.rotate(),
  };
}
