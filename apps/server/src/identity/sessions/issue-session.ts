import { randomUUID } from 'node:crypto';
import type { RefreshTokensRepository, UserRow } from '@cairn/storage';
import { readPrimaryMembership } from './primary-membership.js';
import { generateRefreshToken, hashRefreshToken } from './refresh-token-secret.js';
import type { Session, SessionIdentity } from './session-service.js';

export interface IssuedSession extends Session {
  readonly familyId: string;
  readonly tenant: string | null;
}

/** A new refresh token row in `familyId`; returns the raw token (shown once, never stored). */
export async function storeRefreshToken(
  refreshTokens: RefreshTokensRepository,
  input: { readonly userId: string; readonly familyId: string; readonly expiresAt: Date },
): Promise<string> {
  const refreshToken = generateRefreshToken();
  await refreshTokens.issue({ ...input, tokenHash: hashRefreshToken(refreshToken) });
  return refreshToken;
}

/** Refresh tokens slide: each one lives the configured lifetime from its own issue. */
export function refreshExpiry(identity: SessionIdentity, now: number): Date {
  return new Date(now + identity.settings.refreshTokenLifetimeSeconds * 1000);
}

/** The access token of a session: the user's primary tenant and their role there. */
export async function issueAccessTokenFor(identity: SessionIdentity, user: UserRow) {
  const membership = await readPrimaryMembership(identity.sql, user.id);
  const issued = await identity.tokens.issueAccessToken({
    userId: user.id,
    tenantId: membership?.tenant ?? null,
    roles: membership === undefined ? [] : [membership.role],
    issuedNoEarlierThan: user.sessionsValidAfter,
  });
  return { issued, tenant: membership?.tenant ?? null };
}

/** Login: an access token and the first refresh token of a new family. */
export async function issueNewSession(
  identity: SessionIdentity,
  user: UserRow,
  now: number,
): Promise<IssuedSession> {
  const familyId = randomUUID();
  const refreshToken = await storeRefreshToken(identity.sql.refreshTokens, {
    userId: user.id,
    familyId,
    expiresAt: refreshExpiry(identity, now),
  });
  const { issued, tenant } = await issueAccessTokenFor(identity, user);
  return {
    accessToken: issued.token,
    refreshToken,
    expiresAt: issued.expiresAt,
    familyId,
    tenant,
  };
}
