import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mintExternalToken } from '../../src/identity/tokens/external-tokens.js';
import type { GraphqlResult, TestStore } from '../support/test-server.js';
import {
  ADMIN_PASSWORD,
  bootstrapAdmin,
  CREATE_API_KEY,
  CREATE_USER,
  createManagedTestApp,
  type ManagedTestApp,
  ME,
  openManagedTestStore,
  UPDATE_USER,
} from './support/managed-app.js';

let store: TestStore;
let app: ManagedTestApp;
let admin: { apiKey: string; userId: string };
/** Every secret this file handles: none may appear in the audit trail or the logs. */
const secrets: string[] = [ADMIN_PASSWORD];

beforeAll(async () => {
  store = await openManagedTestStore();
  app = await createManagedTestApp(store, { AUTH_FAILURE_LIMIT: '1000' });
  admin = await bootstrapAdmin(app);
  secrets.push(admin.apiKey);
});
afterAll(async () => {
  await app?.identity.audit.flush();
  await store?.close();
});

const LOGIN = `mutation ($username: String!, $password: String!) {
  login(username: $username, password: $password) { accessToken refreshToken }
}`;

async function createUser(input: Record<string, unknown>, credential = admin.apiKey) {
  if (typeof input.password === 'string') secrets.push(input.password);
  return app.run(CREATE_USER, { input }, credential);
}

function createdId(result: GraphqlResult): string {
  const user = result.body.data?.createUser as { id: string } | undefined;
  if (user === undefined) throw new Error(JSON.stringify(result.body));
  return user.id;
}

async function login(username: string, password: string): Promise<string> {
  const result = await app.run(LOGIN, { username, password });
  const session = result.body.data?.login as { accessToken: string; refreshToken: string };
  if (session === undefined) throw new Error(JSON.stringify(result.body));
  secrets.push(session.accessToken, session.refreshToken);
  return session.accessToken;
}

async function keyFor(credential: string, role = 'reader'): Promise<string> {
  const result = await app.run(CREATE_API_KEY, { input: { name: 'own', role } }, credential);
  const issued = result.body.data?.createApiKey as { apiKey: string } | undefined;
  if (issued === undefined) throw new Error(JSON.stringify(result.body));
  secrets.push(issued.apiKey);
  return issued.apiKey;
}

describe('users', () => {
  test('a created user is inactive by default (NEW_USER_IS_ACTIVE) and cannot log in', async () => {
    const created = await createUser({ username: 'dora', password: 'dora-password-123' });
    expect(created.body.data?.createUser).toMatchObject({
      username: 'dora',
      isActive: false,
      isSuperuser: false,
      memberships: [{ tenant: 'default', role: 'reader' }],
    });
    const refused = await app.run(LOGIN, { username: 'dora', password: 'dora-password-123' });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('activation, a tenant role, and the user logs in with a token the resolver accepts', async () => {
    const created = await createUser({
      username: 'erin',
      password: 'erin-password-123',
      tenant: 'acme',
      role: 'writer',
    });
    const id = createdId(created);
    const updated = await app.run(UPDATE_USER, { id, input: { isActive: true } }, admin.apiKey);
    expect(updated.body.data?.updateUser).toMatchObject({
      isActive: true,
      memberships: [{ tenant: 'acme', role: 'writer' }],
    });
    const token = await login('erin', 'erin-password-123');
    const me = await app.run(ME, {}, token);
    expect(me.body.data?.me).toEqual({
      id,
      name: 'erin',
      kind: 'user',
      tenant: 'acme',
      roles: ['writer'],
      superuser: false,
    });
  });

  test('deactivation refuses the live access token and the API keys at once', async () => {
    const created = await createUser({
      username: 'frank',
      password: 'frank-password-123',
      isActive: true,
      role: 'admin',
    });
    const id = createdId(created);
    const token = await login('frank', 'frank-password-123');
    const key = await keyFor(token);
    expect((await app.run(ME, {}, token)).status).toBe(200);
    expect((await app.run(ME, {}, key)).status).toBe(200);

    await app.run(UPDATE_USER, { id, input: { isActive: false } }, admin.apiKey);
    expect((await app.run(ME, {}, token)).status).toBe(401);
    expect((await app.run(ME, {}, key)).status).toBe(401);

    // Reactivation brings the keys back, never the sessions that were ended.
    await app.run(UPDATE_USER, { id, input: { isActive: true } }, admin.apiKey);
    expect((await app.run(ME, {}, key)).status).toBe(200);
    expect((await app.run(ME, {}, token)).status).toBe(401);
  });

  test('a password change ends every session; the new password logs in', async () => {
    const created = await createUser({
      username: 'gina',
      password: 'gina-password-123',
      isActive: true,
    });
    const id = createdId(created);
    const token = await login('gina', 'gina-password-123');
    const changed = await app.run(
      UPDATE_USER,
      { id, input: { password: 'gina-new-password-456' } },
      admin.apiKey,
    );
    secrets.push('gina-new-password-456');
    expect(changed.body.errors).toBeUndefined();
    expect((await app.run(ME, {}, token)).status).toBe(401);
    const fresh = await login('gina', 'gina-new-password-456');
    expect((await app.run(ME, {}, fresh)).status).toBe(200);
  });

  test('a caller without the right gets the same FORBIDDEN for a taken and a free username', async () => {
    await createUser({ username: 'hank', password: 'hank-password-123', isActive: true });
    const token = await login('hank', 'hank-password-123');
    const taken = await createUser({ username: 'erin', password: 'whatever-password-1' }, token);
    const free = await createUser(
      { username: 'nobody-yet', password: 'whatever-password-1' },
      token,
    );
    expect(taken.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(free.body).toEqual(taken.body);
    // To an admin allowed to create users, a taken name is a plain CONFLICT.
    const conflict = await createUser({ username: 'ERIN', password: 'whatever-password-1' });
    expect(conflict.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  test('login errors do not tell a wrong password from an unknown user', async () => {
    const wrong = await app.run(LOGIN, { username: 'erin', password: 'not-her-password' });
    const unknown = await app.run(LOGIN, {
      username: 'nobody-at-all',
      password: 'not-her-password',
    });
    expect(wrong.body.errors?.[0]?.message).toBe(unknown.body.errors?.[0]?.message);
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe(
      unknown.body.errors?.[0]?.extensions?.code,
    );
  });

  test('users lists accounts with memberships, never password hashes', async () => {
    const result = await app.run(
      '{ users { id username isActive memberships { tenant role } } }',
      {},
      admin.apiKey,
    );
    const users = result.body.data?.users as Array<{ username: string }>;
    expect(users.map((user) => user.username)).toEqual(
      expect.arrayContaining(['admin', 'dora', 'erin', 'frank', 'gina', 'hank']),
    );
    expect(JSON.stringify(result.body)).not.toContain('$argon2id$');
  });

  test('the audit trail records each change and failure, readable as pages', async () => {
    await app.identity.audit.flush();
    const first = await app.run(
      '{ auditEvents(first: 5) { nodes { action outcome actor target } hasNextPage endCursor } }',
      {},
      admin.apiKey,
    );
    expect(first.body.errors).toBeUndefined();
    const page = first.body.data?.auditEvents as {
      nodes: Array<{ action: string }>;
      hasNextPage: boolean;
      endCursor: string;
    };
    expect(page.nodes).toHaveLength(5);
    expect(page.hasNextPage).toBe(true);
    const next = await app.run(
      `{ auditEvents(first: 500, after: ${JSON.stringify(page.endCursor)}) { nodes { action } } }`,
      {},
      admin.apiKey,
    );
    expect(next.body.errors).toBeUndefined();
    const actions = [
      ...page.nodes,
      ...((next.body.data?.auditEvents as { nodes: Array<{ action: string }> } | undefined)
        ?.nodes ?? []),
    ].map((event) => event.action);
    for (const action of [
      'bootstrap',
      'user.create',
      'user.update',
      'apikey.create',
      'auth.failure',
    ]) {
      expect(actions).toContain(action);
    }
    const bad = await app.run(
      '{ auditEvents(after: "forged") { nodes { id } } }',
      {},
      admin.apiKey,
    );
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('no secret appears in the audit rows or the logs', async () => {
    await app.identity.audit.flush();
    const { events } = await store.sql.auditEvents.list({ limit: 1000 });
    const audit = JSON.stringify(events);
    const logs = app.lines.join('\n');
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(audit).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});

describe('lockout and public keys', () => {
  test('guessing API keys reaches the lockout: 429 with Retry-After', async () => {
    const strict = await createManagedTestApp(store, { AUTH_FAILURE_LIMIT: '3' });
    const guess = 'cairn_0000000000000000000000000000000000000000000000000';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await strict.run(ME, {}, guess)).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    const locked = await strict.run(ME, {}, admin.apiKey);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    await strict.identity.audit.flush();
  });

  test('with JWT_SECRET an external HS256 token is a principal of its own; a forged one is not', async () => {
    const secret = 'an-external-secret-of-at-least-32-bytes!';
    const external = await createManagedTestApp(store, { JWT_SECRET: secret });
    const input = {
      userId: 'ext-7',
      tenantId: 'acme',
      roles: ['reader'] as const,
      expiresInSeconds: 60,
    };
    const token = await mintExternalToken(secret, input);
    secrets.push(token);
    const me = await external.run(ME, {}, token);
    expect(me.body.data?.me).toEqual({
      id: 'external:ext-7',
      name: 'ext-7',
      kind: 'external-token',
      tenant: 'acme',
      roles: ['reader'],
      superuser: false,
    });
    const forged = await mintExternalToken('another-secret-also-32-bytes-long!!', input);
    expect((await external.run(ME, {}, forged)).status).toBe(401);
    // Without JWT_SECRET the same token is not accepted at all.
    expect((await app.run(ME, {}, token)).status).toBe(401);
    await external.identity.audit.flush();
  });

  test('the JWKS is served without a credential in managed mode', async () => {
    await login('erin', 'erin-password-123');
    const response = await app.yoga.fetch('http://cairn.test/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { keys: Array<{ kid: string; d?: string }> };
    expect(body.keys.length).toBeGreaterThan(0);
    expect(body.keys.every((key) => key.d === undefined)).toBe(true);
  });
});
