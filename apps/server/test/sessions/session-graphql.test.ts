import { hashPassword } from '@cairn/crypto';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createManagedTestApp,
  type ManagedTestApp,
  openManagedTestStore,
} from '../accounts/support/managed-app.js';
import type { TestStore } from '../support/test-server.js';
import { createTestUser } from './support/session-identity.js';

const LOGIN = `mutation ($username: String!, $password: String!) {
  login(username: $username, password: $password) { accessToken refreshToken expiresAt }
}`;
const REFRESH = `mutation ($token: String!) {
  refreshSession(refreshToken: $token) { accessToken refreshToken expiresAt }
}`;
const LOGOUT = 'mutation ($token: String!) { logout(refreshToken: $token) }';
const ME = '{ me { id name kind tenant } }';

interface SessionResult {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

let store: TestStore;
let app: ManagedTestApp;
beforeAll(async () => {
  store = await openManagedTestStore();
  app = await createManagedTestApp(store);
});
afterAll(async () => {
  await app.identity.audit.flush();
  await store.close();
});

async function login(username: string, password: string): Promise<SessionResult> {
  const result = await app.run(LOGIN, { username, password });
  expect(result.body.errors).toBeUndefined();
  return result.body.data?.login as SessionResult;
}

describe('sessions through GraphQL (managed mode)', () => {
  it('an anonymous caller logs in; the access token authenticates as the user', async () => {
    const user = await createTestUser(store.sql, { tenant: { name: 'acme', role: 'writer' } });
    const session = await login(user.username, user.password);
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await app.run(ME, {}, session.accessToken);
    expect(me.body.data?.me).toEqual({
      id: user.id,
      name: user.username,
      kind: 'user',
      tenant: 'acme',
    });
  });

  it('a refused login is a 401 with the one generic message', async () => {
    const user = await createTestUser(store.sql);
    for (const [username, password] of [
      [user.username, 'wrong password'],
      ['nobody-here', 'any password'],
    ] as const) {
      const result = await app.run(LOGIN, { username, password });
      expect(result.status).toBe(401);
      expect(result.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(result.body.errors?.[0]).toMatchObject({
        message: 'invalid username or password',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
  });

  it('refreshSession rotates; a replayed refresh token ends the session; logout ends another', async () => {
    const user = await createTestUser(store.sql);
    const first = await login(user.username, user.password);
    const refreshed = await app.run(REFRESH, { token: first.refreshToken });
    const second = refreshed.body.data?.refreshSession as SessionResult;
    expect((await app.run(ME, {}, second.accessToken)).body.data?.me).toMatchObject({
      kind: 'user',
    });
    const replay = await app.run(REFRESH, { token: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.run(REFRESH, { token: second.refreshToken })).status).toBe(401);

    const other = await login(user.username, user.password);
    expect((await app.run(LOGOUT, { token: other.refreshToken })).body.data).toEqual({
      logout: true,
    });
    expect((await app.run(REFRESH, { token: other.refreshToken })).status).toBe(401);
  });

  it('deactivation and password change end access tokens and refresh tokens alike', async () => {
    const user = await createTestUser(store.sql);
    const before = await login(user.username, user.password);
    await store.sql.users.setPassword(user.id, await hashPassword('the new password 42'));
    app.identity.users.forget(user.id);
    expect((await app.run(ME, {}, before.accessToken)).status).toBe(401);
    expect((await app.run(REFRESH, { token: before.refreshToken })).status).toBe(401);
    // A login right after the change is a new session, valid at once.
    const after = await login(user.username, 'the new password 42');
    expect((await app.run(ME, {}, after.accessToken)).body.data?.me).toMatchObject({
      kind: 'user',
    });

    await store.sql.users.update(user.id, { isActive: false });
    app.identity.users.forget(user.id);
    expect((await app.run(ME, {}, after.accessToken)).status).toBe(401);
    expect((await app.run(REFRESH, { token: after.refreshToken })).status).toBe(401);
    const refused = await app.run(LOGIN, {
      username: user.username,
      password: 'the new password 42',
    });
    expect(refused.body.errors?.[0]?.message).toBe('invalid username or password');
  });

  it('serves the JWKS without a credential, holding the key of issued tokens', async () => {
    const user = await createTestUser(store.sql);
    const session = await login(user.username, user.password);
    const response = await app.yoga.fetch('http://cairn.test/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: { kid: string }[] };
    expect(keys.map((key) => key.kid)).toContain(decodeProtectedHeader(session.accessToken).kid);
  });

  it('signing-key rotation keeps earlier tokens working; new ones carry the new kid', async () => {
    const user = await createTestUser(store.sql);
    const before = await login(user.username, user.password);
    const { kid } = await app.identity.tokens.rotateSigningKey();
    const after = await login(user.username, user.password);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(kid);
    expect(decodeProtectedHeader(before.accessToken).kid).not.toBe(kid);
    for (const token of [before.accessToken, after.accessToken]) {
      expect((await app.run(ME, {}, token)).body.data?.me).toMatchObject({ kind: 'user' });
    }
  });
});
