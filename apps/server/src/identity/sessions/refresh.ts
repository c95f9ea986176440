import type { RefreshTokenRow, UserRow } from '@cairn/storage';
import { CairnError } from '../../errors.js';
import { issueAccessTokenFor, refreshExpiry, storeRefreshToken } from './issue-session.js';
import { hashRefreshToken, isWellFormedRefreshToken } from './refresh-token-secret.js';
import {
  INVALID_REFRESH_MESSAGE,
  type Session,
  type SessionIdentity,
  type SessionRequest,
} from './session-service.js';

export interface RefreshDependencies {
  readonly identity: SessionIdentity;
  readonly now: () => number;
}

type Spent =
  | { readonly ok: true; readonly user: UserRow; readonly token: RefreshTokenRow; refresh: string }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly token?: RefreshTokenRow;
    };

/**
 * Spends the presented token and stores its successor in ONE transaction: a concurrent reuse
 * of the same token then either waits and finds it spent (and revokes the family, successor
 * included) or wins, never both.
 */
async function spend({ identity, now }: RefreshDependencies, refreshToken: string): Promise<Spent> {
  return identity.sql.durably(async (tx): Promise<Spent> => {
    const at = now();
    const result = await tx.refreshTokens.consume(hashRefreshToken(refreshToken), new Date(at));
    if (result.outcome !== 'consumed') {
      return result.outcome === 'unknown'
        ? { ok: false, reason: 'unknown' }
        : { ok: false, reason: result.outcome, token: result.token };
    }
    const { token } = result;
    const user = await tx.users.findById(token.userId);
    // Deactivation and password change move sessionsValidAfter: older sessions are over.
    const ended =
      user === undefined
        ? 'user_missing'
        : !user.isActive
          ? 'inactive'
          : token.issuedAt.getTime() < user.sessionsValidAfter.getTime()
            ? 'sessions_ended'
            : undefined;
    if (ended !== undefined || user === undefined) {
      await tx.refreshTokens.revokeFamily(token.familyId);
      return { ok: false, reason: ended ?? 'user_missing', token };
    }
    const refresh = await storeRefreshToken(tx.refreshTokens, {
      userId: user.id,
      familyId: token.familyId,
      expiresAt: refreshExpiry(identity, at),
    });
    return { ok: true, user, token, refresh };
  });
}

export async function refreshSession(
  dependencies: RefreshDependencies,
  refreshToken: string,
  request: SessionRequest,
): Promise<Session> {
  const { identity } = dependencies;
  const source = {
    clientIp: request.clientAddress ?? null,
    requestId: request.requestId ?? null,
  };
  const spent: Spent = isWellFormedRefreshToken(refreshToken)
    ? await spend(dependencies, refreshToken)
    : { ok: false, reason: 'malformed' };
  if (!spent.ok) {
    if (request.clientAddress !== undefined) identity.lockout.recordFailure(request.clientAddress);
    const reused = spent.reason === 'reused';
    identity.audit.record({
      action: reused ? 'session.reuse_detected' : 'session.refresh',
      outcome: 'failure',
      actor: spent.token?.userId ?? null,
      target: spent.token === undefined ? null : `user:${spent.token.userId}`,
      ...source,
      details: {
        reason: spent.reason,
        ...(spent.token === undefined ? {} : { family: spent.token.familyId }),
        ...(reused ? { familyRevoked: true } : {}),
      },
    });
    throw new CairnError('UNAUTHENTICATED', INVALID_REFRESH_MESSAGE);
  }
  const { issued, tenant } = await issueAccessTokenFor(identity, spent.user);
  identity.audit.record({
    action: 'session.refresh',
    outcome: 'success',
    actor: spent.user.id,
    target: `user:${spent.user.id}`,
    ...source,
    details: { family: spent.token.familyId, tenant },
  });
  return { accessToken: issued.token, refreshToken: spent.refresh, expiresAt: issued.expiresAt };
}

/** Ends the session the refresh token belongs to (every token of its family). */
export async function logout(
  { identity }: RefreshDependencies,
  refreshToken: string,
  request: SessionRequest,
): Promise<boolean> {
  const token = isWellFormedRefreshToken(refreshToken)
    ? await identity.sql.refreshTokens.findByHash(hashRefreshToken(refreshToken))
    : undefined;
  const revoked =
    token === undefined ? 0 : await identity.sql.refreshTokens.revokeFamily(token.familyId);
  identity.audit.record({
    action: 'logout',
    outcome: token === undefined ? 'failure' : 'success',
    actor: token?.userId ?? null,
    target: token === undefined ? null : `user:${token.userId}`,
    clientIp: request.clientAddress ?? null,
    requestId: request.requestId ?? null,
    details: token === undefined ? { reason: 'unknown' } : { family: token.familyId, revoked },
  });
  return token !== undefined;
}
