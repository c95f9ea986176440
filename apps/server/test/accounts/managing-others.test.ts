import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphqlResult, TestStore } from '../support/test-server.js';
import {
  bootstrapAdmin,
  CREATE_API_KEY,
  CREATE_USER,
  createManagedTestApp,
  type ManagedTestApp,
  openManagedTestStore,
  UPDATE_USER,
} from './support/managed-app.js';

// Who may see and change whose keys and accounts: own keys for everyone with a role, keys of
// one's tenant for its admins, a superuser's keys and flag for superusers alone.

let store: TestStore;
let app: ManagedTestApp;
let superuserKey: string;

const LOGIN = `mutation ($username: String!, $password: String!) {
  login(username: $username, password: $password) { accessToken }
}`;
const API_KEYS = '{ apiKeys { id name ownerUserId } }';
const ROTATE = 'mutation ($id: ID!) { rotateApiKey(id: $id) { apiKey } }';
const REVOKE = 'mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';

beforeAll(async () => {
  store = await openManagedTestStore();
  app = await createManagedTestApp(store, { AUTH_FAILURE_LIMIT: '1000' });
  superuserKey = (await bootstrapAdmin(app)).apiKey;
}, 60_000);
afterAll(async () => {
  await app?.identity.audit.flush();
  await store?.close();
});

function data<T>(result: GraphqlResult, field: string): T {
  const value = result.body.data?.[field] as T | undefined;
  if (value === undefined || value === null) throw new Error(JSON.stringify(result.body));
  return value;
}

function codeOf(result: GraphqlResult): unknown {
  return result.body.errors?.[0]?.extensions?.code;
}

async function user(username: string, tenant: string, role: string) {
  const created = await app.run(
    CREATE_USER,
    { input: { username, password: `${username}-password-1`, tenant, role, isActive: true } },
    superuserKey,
  );
  const id = data<{ id: string }>(created, 'createUser').id;
  const session = await app.run(LOGIN, { username, password: `${username}-password-1` });
  const token = data<{ accessToken: string }>(session, 'login').accessToken;
  const issued = await app.run(CREATE_API_KEY, { input: { name: `${username}-key`, role } }, token);
  const key = data<{ apiKey: string; key: { id: string } }>(issued, 'createApiKey');
  return { id, token, apiKey: key.apiKey, keyId: key.key.id };
}

describe('keys and accounts of others', () => {
  test('a reader lists its own keys and nobody else’s', async () => {
    const reader = await user('rita', 'acme', 'reader');
    const other = await user('otto', 'acme', 'writer');
    const listed = data<{ id: string }[]>(await app.run(API_KEYS, {}, reader.token), 'apiKeys');
    expect(listed.map((k) => k.id)).toEqual([reader.keyId]);
    expect(listed.map((k) => k.id)).not.toContain(other.keyId);
  });

  test('an admin rotates and revokes the keys of users in its tenant, not of other tenants', async () => {
    const admin = await user('ada', 'acme', 'admin');
    const member = await user('mia', 'acme', 'writer');
    const stranger = await user('sam', 'globex', 'writer');
    const listed = data<{ id: string }[]>(await app.run(API_KEYS, {}, admin.token), 'apiKeys');
    expect(listed.map((k) => k.id)).toContain(member.keyId);
    expect(listed.map((k) => k.id)).not.toContain(stranger.keyId);

    const rotated = await app.run(ROTATE, { id: member.keyId }, admin.token);
    expect(data<{ apiKey: string }>(rotated, 'rotateApiKey').apiKey).toMatch(/^cairn_/);
    expect(codeOf(await app.run(ROTATE, { id: stranger.keyId }, admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await app.run(REVOKE, { id: stranger.keyId }, admin.token))).toBe('FORBIDDEN');
    const revoked = await app.run(REVOKE, { id: member.keyId }, admin.token);
    expect(data<{ revokedAt: string | null }>(revoked, 'revokeApiKey').revokedAt).not.toBeNull();
  });

  test('a superuser’s keys are managed by superusers only, even scoped to an admin’s tenant', async () => {
    const admin = await user('abe', 'initech', 'admin');
    const boss = await app.run(
      CREATE_USER,
      {
        input: {
          username: 'boss',
          password: 'boss-password-1',
          tenant: 'initech',
          role: 'admin',
          isActive: true,
          isSuperuser: true,
        },
      },
      superuserKey,
    );
    data(boss, 'createUser');
    const session = await app.run(LOGIN, { username: 'boss', password: 'boss-password-1' });
    const token = data<{ accessToken: string }>(session, 'login').accessToken;
    const issued = await app.run(
      CREATE_API_KEY,
      { input: { name: 'boss-scoped', role: 'reader', tenants: ['initech'] } },
      token,
    );
    const keyId = data<{ key: { id: string } }>(issued, 'createApiKey').key.id;
    expect(codeOf(await app.run(ROTATE, { id: keyId }, admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await app.run(REVOKE, { id: keyId }, admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await app.run(ROTATE, { id: keyId }, superuserKey))).toBeUndefined();
  });

  test('users change their own password and email, not their role, activity or flag', async () => {
    const self = await user('cleo', 'acme', 'writer');
    const own = await app.run(
      UPDATE_USER,
      { id: self.id, input: { password: 'cleo-new-password-2', email: 'cleo@example.test' } },
      self.token,
    );
    expect(codeOf(own)).toBeUndefined();
    const relogin = await app.run(LOGIN, { username: 'cleo', password: 'cleo-new-password-2' });
    const fresh = data<{ accessToken: string }>(relogin, 'login').accessToken;
    for (const input of [
      { role: 'admin', tenant: 'acme' },
      { isActive: false },
      { isSuperuser: true },
    ]) {
      const refused = await app.run(UPDATE_USER, { id: self.id, input }, fresh);
      expect(codeOf(refused), JSON.stringify(input)).toBe('FORBIDDEN');
    }
  });

  test('an admin cannot touch a superuser’s account', async () => {
    const admin = await user('ava', 'acme', 'admin');
    const me = data<{ id: string }>(await app.run('{ me { id } }', {}, superuserKey), 'me');
    const refused = await app.run(
      UPDATE_USER,
      { id: me.id, input: { isActive: false } },
      admin.token,
    );
    expect(codeOf(refused)).toBe('FORBIDDEN');
  });

  test('guessing one account’s password reaches a 429 with Retry-After, for any username', async () => {
    for (const username of ['cleo', 'nobody-by-this-name']) {
      let last: GraphqlResult | undefined;
      for (let attempt = 0; attempt < 8; attempt += 1) {
        last = await app.run(LOGIN, { username, password: `guess-${attempt}` });
        if (last.status === 429) break;
      }
      expect(last?.status).toBe(429);
      expect(codeOf(last as GraphqlResult)).toBe('RATE_LIMITED');
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  test('an admin reads the audit events of its tenant only; the whole trail is the superuser’s', async () => {
    const admin = await user('aria', 'umbrella', 'admin');
    await user('ulla', 'umbrella', 'reader');
    await user('gus', 'globex', 'reader');
    await app.identity.audit.flush();
    const AUDIT =
      'query ($tenant: String) { auditEvents(tenant: $tenant, first: 100) { nodes { action details } } }';
    const mine = await app.run(AUDIT, { tenant: 'umbrella' }, admin.token);
    const nodes = data<{ nodes: { action: string; details: { tenant?: string } }[] }>(
      mine,
      'auditEvents',
    ).nodes;
    expect(nodes.some((n) => n.action === 'user.create')).toBe(true);
    expect(nodes.every((n) => n.details.tenant === 'umbrella')).toBe(true);
    expect(codeOf(await app.run(AUDIT, { tenant: 'globex' }, admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await app.run(AUDIT, {}, admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await app.run(AUDIT, {}, superuserKey))).toBeUndefined();
  });
});
