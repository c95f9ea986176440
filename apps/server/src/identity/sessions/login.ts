import { hashPassword, needsRehash, verifyPassword } from '@cairn/crypto';
import type { UserRow } from '@cairn/storage';
import { CairnError } from '../../errors.js';
import type { AccountBackoff } from './account-backoff.js';
import { dummyPasswordHash } from './dummy-password-hash.js';
import { issueNewSession } from './issue-session.js';
import {
  INVALID_LOGIN_MESSAGE,
  type Session,
  type SessionIdentity,
  type SessionRequest,
} from './session-service.js';

/** Longer usernames cannot exist; they are refused like any unknown one, without a query. */
const MAX_USERNAME_LENGTH = 256;

type LoginFailure = 'unknown_user' | 'wrong_password' | 'inactive' | 'account_backoff';

export interface LoginDependencies {
  readonly identity: SessionIdentity;
  readonly backoff: AccountBackoff;
  readonly now: () => number;
}

/**
 * Password login. Unknown user, wrong password and inactive user are one answer, reached after
 * the same argon2id work (a dummy hash stands in for a missing user), so neither the message
 * nor the time tells which usernames exist.
 */
export async function login(
  { identity, backoff, now }: LoginDependencies,
  username: string,
  password: string,
  request: SessionRequest,
): Promise<Session> {
  if (typeof username !== 'string' || username.trim() === '') {
    throw new CairnError('BAD_USER_INPUT', 'username must not be empty', { argument: 'username' });
  }
  if (typeof password !== 'string' || password === '') {
    throw new CairnError('BAD_USER_INPUT', 'password must not be empty', { argument: 'password' });
  }
  const refuse = (reason: LoginFailure, user?: UserRow): never => {
    if (request.clientAddress !== undefined) identity.lockout.recordFailure(request.clientAddress);
    if (reason !== 'account_backoff') backoff.recordFailure(username);
    identity.audit.record({
      action: 'login.failure',
      outcome: 'failure',
      actor: null,
      target: user === undefined ? null : `user:${user.id}`,
      clientIp: request.clientAddress ?? null,
      requestId: request.requestId ?? null,
      details: { username: username.slice(0, MAX_USERNAME_LENGTH), reason },
    });
    if (reason === 'account_backoff') {
      // Keyed by the username whether or not it exists, so saying so reveals nothing.
      const seconds = Math.ceil(backoff.retryAfterMs(username) / 1000);
      throw new CairnError(
        'RATE_LIMITED',
        `too many failed logins for this username; retry in ${seconds} s`,
        { retryAfterSeconds: seconds },
      );
    }
    throw new CairnError('UNAUTHENTICATED', INVALID_LOGIN_MESSAGE);
  };

  if (backoff.retryAfterMs(username) > 0) refuse('account_backoff');
  const user =
    username.length > MAX_USERNAME_LENGTH
      ? undefined
      : await identity.sql.users.findByUsername(username);
  if (user === undefined) {
    await verifyPassword(await dummyPasswordHash(), password);
    return refuse('unknown_user');
  }
  if (!(await verifyPassword(user.passwordHash, password))) return refuse('wrong_password', user);
  // Checked only after the password, so an inactive account answers like a wrong password.
  if (!user.isActive) return refuse('inactive', user);

  backoff.recordSuccess(username);
  const rehashed = await upgradeHash(identity, user, password);
  const session = await issueNewSession(identity, user, now());
  identity.audit.record({
    action: 'login.success',
    outcome: 'success',
    actor: user.id,
    target: `user:${user.id}`,
    clientIp: request.clientAddress ?? null,
    requestId: request.requestId ?? null,
    details: { tenant: session.tenant, family: session.familyId, rehashed },
  });
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    expiresAt: session.expiresAt,
  };
}

/** Re-hashes with today's parameters when the stored hash is weaker; sessions stay valid. */
async function upgradeHash(
  identity: SessionIdentity,
  user: UserRow,
  password: string,
): Promise<boolean> {
  if (!needsRehash(user.passwordHash)) return false;
  // A failed upgrade must not fail the login: the old hash still works and is retried next time.
  try {
    await identity.sql.users.rehashPassword(user.id, await hashPassword(password));
    return true;
  } catch {
    return false;
  }
}
