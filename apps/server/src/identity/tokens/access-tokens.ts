import { randomUUID } from 'node:crypto';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.js';
import { isNonEmptyString, parseRolesClaim } from './token-claims.js';
import { inspectTokenHeader } from './token-header.js';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TYPE,
  CLOCK_TOLERANCE_SECONDS,
} from './token-limits.js';
import type {
  AccessTokenClaims,
  AccessTokenSubject,
  IssuedAccessToken,
  TokenCheck,
} from './token-service.js';

export interface AccessTokenSettings {
  readonly keys: SigningKeys;
  readonly issuer: string;
  readonly audience: string;
  readonly lifetimeSeconds: number;
  readonly now: () => number;
}

export async function issueAccessToken(
  { keys, issuer, audience, lifetimeSeconds, now }: AccessTokenSettings,
  subject: AccessTokenSubject,
): Promise<IssuedAccessToken> {
  const key = await keys.active();
  // iat keeps milliseconds (NumericDate may be fractional, RFC 7519 §2): whole seconds could
  // not tell a session begun just after a password change from one just before it.
  const issuedAtMs = Math.max(now(), subject.issuedNoEarlierThan?.getTime() ?? 0);
  const issuedAt = issuedAtMs / 1000;
  const expiresAt = Math.floor(issuedAt) + lifetimeSeconds;
  const jti = randomUUID();
  const token = await new SignJWT({ tenant_id: subject.tenantId, roles: [...subject.roles] })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: key.kid })
    .setSubject(subject.userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000), jti };
}

function failure(reason: string): TokenCheck<never> {
  return { ok: false, reason };
}

/** jose's message for the claim it refused (expired, audience, ...), kept for the audit trail. */
function describeJoseError(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return `${error.code}: ${error.message}`;
  }
  return 'signature or claims invalid';
}

/** Cairn claims beyond the registered ones; jose has already checked exp, iat, iss, aud, typ. */
export function readAccessClaims(payload: JWTPayload, now: number): TokenCheck<AccessTokenClaims> {
  const { sub, jti, iat, exp } = payload;
  if (!isNonEmptyString(sub)) return failure('sub claim missing or empty');
  if (!isNonEmptyString(jti)) return failure('jti claim missing or empty');
  if (typeof iat !== 'number' || typeof exp !== 'number') return failure('iat or exp missing');
  if (iat > Math.floor(now / 1000) + CLOCK_TOLERANCE_SECONDS) return failure('iat in the future');
  const tenantId = payload.tenant_id;
  if (tenantId !== null && !isNonEmptyString(tenantId)) {
    return failure('tenant_id claim must be a tenant id or null');
  }
  const roles = parseRolesClaim(payload.roles);
  if (typeof roles === 'string') return failure(roles);
  return { ok: true, claims: { sub, jti, iat, exp, tenantId, roles } };
}

export async function verifyAccessToken(
  { keys, issuer, audience, now }: AccessTokenSettings,
  token: string,
): Promise<TokenCheck<AccessTokenClaims>> {
  const inspected = inspectTokenHeader(token, ACCESS_TOKEN_ALGORITHM);
  if (!inspected.ok) return inspected;
  const { kid } = inspected.header;
  if (!isNonEmptyString(kid)) return failure('kid header missing');
  const key = await keys.verificationKey(kid);
  if (key === undefined) return failure(`unknown signing key "${kid.slice(0, 64)}"`);
  const at = now();
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      typ: ACCESS_TOKEN_TYPE,
      issuer,
      audience,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(at),
    });
    return readAccessClaims(payload, at);
  } catch (error) {
    return failure(describeJoseError(error));
  }
}
