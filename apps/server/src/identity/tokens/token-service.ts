import type { Role } from '@cairn/policy';

/** Claims of an access token Cairn issued (after signature, typ, iss, aud, exp, iat checks). */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly jti: string;
  /** Seconds since the epoch, with milliseconds as a fraction (compare with sessionsValidAfter). */
  readonly iat: number;
  readonly exp: number;
  readonly tenantId: string | null;
  readonly roles: readonly Role[];
}

/** Claims of a token minted by another system with JWT_SECRET (HS256). */
export interface ExternalTokenClaims {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly Role[];
  readonly exp: number;
}

export type TokenCheck<T> =
  | { readonly ok: true; readonly claims: T }
  /** `reason` is for the audit trail and logs; callers answer a generic 401. */
  | { readonly ok: false; readonly reason: string };

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
  readonly jti: string;
}

export interface AccessTokenSubject {
  readonly userId: string;
  readonly tenantId: string | null;
  readonly roles: readonly Role[];
  /**
   * The user's sessionsValidAfter: `iat` is never earlier, so a session begun right after a
   * password change is not taken for one from before it when the SQL clock runs a little ahead
   * (the resolver refuses tokens whose iat is earlier than sessionsValidAfter).
   */
  readonly issuedNoEarlierThan?: Date;
}

/** Signs and verifies Cairn's tokens; keys live sealed in the SQL store. */
export interface TokenService {
  issueAccessToken(subject: AccessTokenSubject): Promise<IssuedAccessToken>;
  verifyAccessToken(token: string): Promise<TokenCheck<AccessTokenClaims>>;
  /** Undefined when JWT_SECRET is not set. */
  readonly verifyExternalToken:
    | ((token: string) => Promise<TokenCheck<ExternalTokenClaims>>)
    | undefined;
  /** The public signing keys, retired ones included while tokens they signed may live. */
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
  /** A new signing key signs from now on; tokens signed by the old one stay valid. */
  rotateSigningKey(): Promise<{ kid: string }>;
}

/** A JWT has three base64url parts; a Cairn API key starts with `cairn_`. */
export function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(credential);
}
