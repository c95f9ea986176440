import { hashPassword, parsePasswordHash } from '@cairn/crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isCairnError } from '../../src/errors.js';
import { createAccountBackoff } from '../../src/identity/sessions/account-backoff.js';
import { createSessionService } from '../../src/identity/sessions/create-session-service.js';
import { hashRefreshToken } from '../../src/identity/sessions/refresh-token-secret.js';
import type { SessionService } from '../../src/identity/sessions/session-service.js';
import { createFakeClock, type KeyedStore, openKeyedStore } from './support/keyed-store.js';
import {
  createSessionIdentity,
  createTestUser,
  ISSUER,
  type SessionFixture,
} from './support/session-identity.js';

let store: KeyedStore;
let fixture: SessionFixture;
let sessions: SessionService;
const request = { clientAddress: '192.0.2.10', requestId: 'req-1' };

beforeAll(async () => {
  store = await openKeyedStore();
  fixture = createSessionIdentity(store.sql, Date.now);
  sessions = createSessionService({ identity: fixture.identity });
});
afterAll(async () => {
  await fixture.identity.audit.flush();
  await store.close();
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isCairnError(error)) throw new Error(`expected a CairnError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

const INVALID_LOGIN = { code: 'UNAUTHENTICATED', message: 'invalid username or password' };
const INVALID_REFRESH = {
  code: 'UNAUTHENTICATED',
  message: 'the refresh token is not valid; log in again',
};

describe('login', () => {
  it('returns an access token with the user, primary tenant and role, and a refresh token', async () => {
    const user = await createTestUser(store.sql, { tenant: { name: 'acme', role: 'writer' } });
    const since = await fixture.mark();
    const session = await sessions.login(user.username, user.password, request);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = decodeJwt(session.accessToken);
    expect(claims).toMatchObject({
      sub: user.id,
      tenant_id: 'acme',
      roles: ['writer'],
      iss: ISSUER,
      aud: ISSUER,
    });
    expect(session.expiresAt.getTime()).toBe((claims.exp ?? 0) * 1000);
    expect((await fixture.identity.tokens.verifyAccessToken(session.accessToken)).ok).toBe(true);
    const events = await fixture.auditSince(since);
    expect(events).toMatchObject([
      {
        action: 'login.success',
        outcome: 'success',
        actor: user.id,
        clientIp: '192.0.2.10',
        requestId: 'req-1',
        details: { tenant: 'acme', rehashed: false },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(user.password);
  });

  it('is case-insensitive in the username; a user without tenant gets tenant_id null', async () => {
    const user = await createTestUser(store.sql);
    const session = await sessions.login(user.username.toUpperCase(), user.password, request);
    expect(decodeJwt(session.accessToken)).toMatchObject({ tenant_id: null, roles: [] });
  });

  it('answers wrong password, unknown user and inactive user alike, and audits why', async () => {
    const active = await createTestUser(store.sql);
    const inactive = await createTestUser(store.sql, { isActive: false });
    const since = await fixture.mark();
    expect(await refusal(sessions.login(active.username, 'wrong password', request))).toEqual(
      INVALID_LOGIN,
    );
    expect(await refusal(sessions.login('nobody-at-all', 'some password', request))).toEqual(
      INVALID_LOGIN,
    );
    expect(await refusal(sessions.login(inactive.username, inactive.password, request))).toEqual(
      INVALID_LOGIN,
    );
    const events = await fixture.auditSince(since);
    // Audit writes run in the background: on PostgreSQL's pool they may land in any order.
    expect(events.map((event) => [event.action, event.outcome, event.details?.reason])).toEqual(
      expect.arrayContaining([
        ['login.failure', 'failure', 'wrong_password'],
        ['login.failure', 'failure', 'unknown_user'],
        ['login.failure', 'failure', 'inactive'],
      ]),
    );
    expect(events).toHaveLength(3);
    const wrong = events.find((event) => event.details?.reason === 'wrong_password');
    expect(wrong?.target).toBe(`user:${active.id}`);
    const text = JSON.stringify(events);
    expect(text).not.toContain('wrong password');
    expect(text).not.toContain('some password');
    expect(text).not.toContain(inactive.password);
  });

  it('refuses empty input as bad input', async () => {
    expect(await refusal(sessions.login('', 'x', request))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await refusal(sessions.login('someone', '', request))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  it('counts failures per client address in the lockout', async () => {
    const clock = createFakeClock();
    const strict = createSessionIdentity(store.sql, clock.now, { lockoutLimit: 2 });
    const service = createSessionService({ identity: strict.identity, now: clock.now });
    const user = await createTestUser(store.sql);
    const from = { clientAddress: '198.51.100.7', requestId: undefined };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await refusal(service.login(user.username, 'wrong', from));
    }
    expect(strict.lockout.retryAfterSeconds('198.51.100.7')).toBe(60);
    expect(strict.lockout.retryAfterSeconds('192.0.2.99')).toBe(0);
    await strict.identity.audit.flush();
  });

  it('backs off one username after repeated failures, for at most a minute', async () => {
    const clock = createFakeClock();
    const service = createSessionService({
      identity: fixture.identity,
      backoff: createAccountBackoff({ freeFailures: 3, now: clock.now }),
      now: clock.now,
    });
    const user = await createTestUser(store.sql);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await refusal(service.login(user.username, 'wrong', request))).toEqual(INVALID_LOGIN);
    }
    expect(await refusal(service.login(user.username, 'wrong', request))).toEqual(INVALID_LOGIN);
    // Now even the right password waits: the guesser gets no answer during the backoff.
    expect(await refusal(service.login(user.username, user.password, request))).toEqual({
      code: 'RATE_LIMITED',
      message: 'too many failed logins for this username; retry in 1 s',
    });
    // Another username is not affected.
    const other = await createTestUser(store.sql);
    await service.login(other.username, other.password, request);
    clock.advance(1_000);
    const session = await service.login(user.username, user.password, request);
    expect(session.accessToken).toBeTruthy();
  });

  it('upgrades a weaker password hash at login, keeping sessions valid', async () => {
    const password = 'an old but good password';
    const weak = await hashPassword(password, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    const user = await createTestUser(store.sql, { password, passwordHash: weak });
    const since = await fixture.mark();
    const first = await sessions.login(user.username, password, request);
    const upgraded = await store.sql.users.findById(user.id);
    expect(parsePasswordHash(upgraded?.passwordHash ?? '')).toMatchObject({
      memoryCost: 19_456,
      timeCost: 2,
    });
    expect(upgraded?.sessionsValidAfter).toEqual(user.sessionsValidAfter);
    expect((await fixture.auditSince(since))[0]?.details).toMatchObject({ rehashed: true });
    await sessions.refreshSession(first.refreshToken, request);
    await sessions.login(user.username, password, request);
  });

  it('a login right after a password change has iat no earlier than the change', async () => {
    const user = await createTestUser(store.sql);
    const changed = await store.sql.users.setPassword(user.id, await hashPassword('new pass 1'));
    const session = await sessions.login(user.username, 'new pass 1', request);
    const iat = decodeJwt(session.accessToken).iat ?? 0;
    expect(iat * 1000).toBeGreaterThanOrEqual(changed?.sessionsValidAfter.getTime() ?? Infinity);
  });
});

describe('refreshSession', () => {
  it('rotates: the new refresh token works once, the old one is spent', async () => {
    const user = await createTestUser(store.sql, { tenant: { name: 'beta', role: 'reader' } });
    const first = await sessions.login(user.username, user.password, request);
    const second = await sessions.refreshSession(first.refreshToken, request);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decodeJwt(second.accessToken)).toMatchObject({ sub: user.id, tenant_id: 'beta' });
    expect(decodeJwt(second.accessToken).jti).not.toBe(decodeJwt(first.accessToken).jti);
    const third = await sessions.refreshSession(second.refreshToken, request);
    expect(third.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('reuse of a spent token fails and revokes the whole family', async () => {
    const user = await createTestUser(store.sql);
    const first = await sessions.login(user.username, user.password, request);
    const second = await sessions.refreshSession(first.refreshToken, request);
    const since = await fixture.mark();
    expect(await refusal(sessions.refreshSession(first.refreshToken, request))).toEqual(
      INVALID_REFRESH,
    );
    // The thief's replay also ends the legitimate holder's session.
    expect(await refusal(sessions.refreshSession(second.refreshToken, request))).toEqual(
      INVALID_REFRESH,
    );
    const events = await fixture.auditSince(since);
    expect(events.map((event) => [event.action, event.details?.reason]).sort()).toEqual([
      ['session.refresh', 'revoked'],
      ['session.reuse_detected', 'reused'],
    ]);
    expect(events.find((event) => event.action === 'session.reuse_detected')).toMatchObject({
      actor: user.id,
      details: { familyRevoked: true },
    });
    expect(JSON.stringify(events)).not.toContain(first.refreshToken);
  });

  it('two concurrent refreshes with one token: one wins, and the family is revoked', async () => {
    const user = await createTestUser(store.sql);
    const first = await sessions.login(user.username, user.password, request);
    const results = await Promise.allSettled([
      sessions.refreshSession(first.refreshToken, request),
      sessions.refreshSession(first.refreshToken, request),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = won[0]?.status === 'fulfilled' ? won[0].value : undefined;
    expect(await refusal(sessions.refreshSession(winner?.refreshToken ?? '', request))).toEqual(
      INVALID_REFRESH,
    );
  });

  it('fails after the user is deactivated', async () => {
    const user = await createTestUser(store.sql);
    const session = await sessions.login(user.username, user.password, request);
    await store.sql.users.update(user.id, { isActive: false });
    const since = await fixture.mark();
    expect(await refusal(sessions.refreshSession(session.refreshToken, request))).toEqual(
      INVALID_REFRESH,
    );
    expect((await fixture.auditSince(since))[0]?.details).toMatchObject({ reason: 'inactive' });
    await store.sql.users.update(user.id, { isActive: true });
    // Reactivation does not revive the old session: its family was revoked.
    expect(await refusal(sessions.refreshSession(session.refreshToken, request))).toEqual(
      INVALID_REFRESH,
    );
  });

  it('fails after a password change', async () => {
    const user = await createTestUser(store.sql);
    const session = await sessions.login(user.username, user.password, request);
    await store.sql.users.setPassword(user.id, await hashPassword('a brand new password'));
    const since = await fixture.mark();
    expect(await refusal(sessions.refreshSession(session.refreshToken, request))).toEqual(
      INVALID_REFRESH,
    );
    expect((await fixture.auditSince(since))[0]?.details).toMatchObject({
      reason: 'sessions_ended',
    });
  });

  it('fails for unknown, malformed and expired tokens', async () => {
    const unknown = 'A'.repeat(43);
    expect(await refusal(sessions.refreshSession(unknown, request))).toEqual(INVALID_REFRESH);
    expect(await refusal(sessions.refreshSession('not a token', request))).toEqual(INVALID_REFRESH);
    expect(await refusal(sessions.refreshSession('x'.repeat(100_000), request))).toEqual(
      INVALID_REFRESH,
    );
    const clock = createFakeClock();
    const later = createSessionService({ identity: fixture.identity, now: clock.now });
    const user = await createTestUser(store.sql);
    const session = await later.login(user.username, user.password, request);
    clock.advance(3601 * 1000);
    expect(await refusal(later.refreshSession(session.refreshToken, request))).toEqual(
      INVALID_REFRESH,
    );
  });
});

describe('expired refresh tokens', () => {
  it('are deleted by a later login a day after they expired', async () => {
    const clock = createFakeClock();
    const service = createSessionService({ identity: fixture.identity, now: clock.now });
    const user = await createTestUser(store.sql);
    const old = await service.login(user.username, user.password, request);
    const oldHash = hashRefreshToken(old.refreshToken);
    clock.advance(3600_000 + 25 * 3600_000);
    const fresh = await service.login(user.username, user.password, request);
    await vi.waitFor(async () => {
      expect(await store.sql.refreshTokens.findByHash(oldHash)).toBeUndefined();
    });
    expect(
      await store.sql.refreshTokens.findByHash(hashRefreshToken(fresh.refreshToken)),
    ).toBeDefined();
  });
});

describe('logout', () => {
  it('revokes the family of the refresh token', async () => {
    const user = await createTestUser(store.sql);
    const first = await sessions.login(user.username, user.password, request);
    const second = await sessions.refreshSession(first.refreshToken, request);
    const other = await sessions.login(user.username, user.password, request);
    const since = await fixture.mark();
    expect(await sessions.logout(second.refreshToken, request)).toBe(true);
    expect(await refusal(sessions.refreshSession(second.refreshToken, request))).toEqual(
      INVALID_REFRESH,
    );
    // Another login of the same user is another session.
    await sessions.refreshSession(other.refreshToken, request);
    const events = await fixture.auditSince(since);
    expect(events.find((event) => event.action === 'logout')).toMatchObject({
      outcome: 'success',
      actor: user.id,
    });
  });

  it('answers false for a token it does not know', async () => {
    expect(await sessions.logout('B'.repeat(43), request)).toBe(false);
    expect(await sessions.logout('garbage', request)).toBe(false);
  });
});
