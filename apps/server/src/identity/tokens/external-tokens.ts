import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { isNonEmptyString, parseRolesClaim } from './token-claims.js';
import { inspectTokenHeader } from './token-header.js';
import { CLOCK_TOLERANCE_SECONDS, EXTERNAL_TOKEN_ALGORITHM } from './token-limits.js';
import type { ExternalTokenClaims, TokenCheck } from './token-service.js';

export interface ExternalTokenSettings {
  /** JWT_SECRET, used as its UTF-8 bytes (what PyJWT does with a str secret). */
  readonly secret: string;
  /** When the token names an audience, it must be this one. */
  readonly audience: string;
  readonly now: () => number;
}

function failure(reason: string): TokenCheck<never> {
  return { ok: false, reason };
}

export function readExternalClaims(
  payload: JWTPayload,
  now: number,
): TokenCheck<ExternalTokenClaims> {
  const userId = payload.user_id;
  const tenantId = payload.tenant_id;
  if (!isNonEmptyString(userId)) return failure('user_id claim missing or not a string');
  if (!isNonEmptyString(tenantId)) return failure('tenant_id claim missing or not a string');
  if (typeof payload.exp !== 'number') return failure('exp claim missing');
  if (payload.iat !== undefined) {
    if (typeof payload.iat !== 'number') return failure('iat claim must be a number');
    if (payload.iat > Math.floor(now / 1000) + CLOCK_TOLERANCE_SECONDS) {
      return failure('iat in the future');
    }
  }
  const roles = parseRolesClaim(payload.roles);
  if (typeof roles === 'string') return failure(roles);
  return { ok: true, claims: { userId, tenantId, roles, exp: payload.exp } };
}

/** Checks an HS256 token minted by another system with the shared JWT_SECRET. */
export async function verifyExternalToken(
  { secret, audience, now }: ExternalTokenSettings,
  token: string,
): Promise<TokenCheck<ExternalTokenClaims>> {
  const inspected = inspectTokenHeader(token, EXTERNAL_TOKEN_ALGORITHM);
  if (!inspected.ok) return inspected;
  const { typ } = inspected.header;
  if (typ !== undefined && typ.toUpperCase() !== 'JWT') {
    return failure(`typ ${typ} is not an external token (expected JWT)`);
  }
  const at = now();
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: [EXTERNAL_TOKEN_ALGORITHM],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(at),
    });
    if (payload.aud !== undefined) {
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!audiences.includes(audience)) return failure(`aud does not name ${audience}`);
    }
    return readExternalClaims(payload, at);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'invalid';
    return failure(`${code}: ${error instanceof Error ? error.message : 'invalid token'}`);
  }
}

export interface ExternalTokenInput {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly expiresInSeconds: number;
  readonly now?: () => number;
}

/** Mints the token `cairn token` prints: the same header and claims PyJWT would produce. */
export async function mintExternalToken(
  secret: string,
  input: ExternalTokenInput,
): Promise<string> {
  const issuedAt = Math.floor((input.now ?? Date.now)() / 1000);
  return new SignJWT({
    user_id: input.userId,
    tenant_id: input.tenantId,
    roles: [...input.roles],
  })
    .setProtectedHeader({ alg: EXTERNAL_TOKEN_ALGORITHM, typ: 'JWT' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + input.expiresInSeconds)
    .sign(new TextEncoder().encode(secret));
}
