import { generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLockout } from '../../src/auth/lockout.js';
import { createIdentity } from '../../src/identity/create-identity.js';
import type { Identity } from '../../src/identity/identity.js';
import { createTokenService } from '../../src/identity/tokens/create-token-service.js';
import { createCapturedLogger, openTestStore, type TestStore } from '../support/test-server.js';
import {
  type AuthorizationApp,
  codeOf,
  createAuthorizationApp,
  fieldOf,
  messageOf,
  userPrincipal,
} from './support.js';

let store: TestStore;
let identity: Identity;
let app: AuthorizationApp;
let unmanaged: AuthorizationApp;
let aliceId: string;

const GRANT =
  'mutation($i: GrantInput!) { grant(input: $i) { database permission userId role tenant } }';
const REVOKE = 'mutation($i: GrantInput!) { revoke(input: $i) }';
const TELL = 'mutation { tell(database: "sales", fact: "deal(d1, 100)") { tenant } }';

beforeAll(async () => {
  store = await openTestStore();
  await store.registry.create('sales');
  aliceId = (await store.sql.users.create({ username: 'alice', passwordHash: 'unused' })).id;
  identity = createIdentity({
    sql: store.sql,
    apiKeyPepper: generateMasterKey(),
    tokens: createTokenService({
      sql: store.sql,
      issuer: 'https://cairn.test',
      audience: 'https://cairn.test',
      lifetimeSeconds: 600,
    }),
    lockout: createLockout({ limit: 20, lockoutSeconds: 60 }),
    settings: {
      newUserIsActive: true,
      accessTokenLifetimeSeconds: 600,
      refreshTokenLifetimeSeconds: 3600,
    },
    logger: createCapturedLogger().logger,
  });
  const principals = {
    root: userPrincipal('root', [], true),
    admin: userPrincipal('acme-admin', [{ tenant: 'acme', role: 'admin' }]),
    writer: userPrincipal('acme-writer', [{ tenant: 'acme', role: 'writer' }]),
    alice: userPrincipal(aliceId, [{ tenant: 'acme', role: 'reader' }]),
    globexReader: userPrincipal('globex-reader', [{ tenant: 'globex', role: 'reader' }]),
  };
  app = createAuthorizationApp(store, principals, { identity });
  unmanaged = createAuthorizationApp(store, principals);
});
afterAll(async () => {
  await identity?.audit.flush();
  await store?.close();
});

describe('grant, grants, revoke', () => {
  test('a grant lets a reader write on one database, until it is revoked', async () => {
    expect(codeOf(await app.as('alice', TELL))).toBe('FORBIDDEN');
    const input = { database: 'sales', permission: 'write', userId: aliceId };
    const granted = await app.as('admin', GRANT, { i: input });
    expect(granted.body.data?.grant).toEqual({
      database: 'sales',
      permission: 'write',
      userId: aliceId,
      role: null,
      tenant: null,
    });
    expect(fieldOf(await app.as('alice', TELL), 'tell')).toEqual({ tenant: 'acme' });
    // Idempotent: granting again returns the same grant.
    expect((await app.as('admin', GRANT, { i: input })).body.data?.grant).toMatchObject({
      userId: aliceId,
    });
    const listed = await app.as('admin', '{ grants(database: "sales") { permission userId } }');
    expect(listed.body.data?.grants).toEqual([{ permission: 'write', userId: aliceId }]);
    expect((await app.as('admin', REVOKE, { i: input })).body.data?.revoke).toBe(true);
    expect((await app.as('admin', REVOKE, { i: input })).body.data?.revoke).toBe(false);
    expect(codeOf(await app.as('alice', TELL))).toBe('FORBIDDEN');
  });

  test('grant changes are in the audit trail', async () => {
    await identity.audit.flush();
    const created = await store.sql.auditEvents.list({ action: 'grant.created' });
    const revoked = await store.sql.auditEvents.list({ action: 'grant.revoked' });
    expect(created.events[0]).toMatchObject({
      actor: 'acme-admin',
      target: 'sales',
      details: { permission: 'write', userId: aliceId },
    });
    expect(revoked.events).toHaveLength(1);
  });

  test('a holder of share grants only what it holds', async () => {
    const share = { database: 'sales', permission: 'share', userId: aliceId };
    expect(codeOf(await app.as('writer', GRANT, { i: share }))).toBe('FORBIDDEN');
    await app.as('admin', GRANT, { i: share });
    const read = await app.as('alice', GRANT, {
      i: { database: 'sales', permission: 'read', role: 'reader' },
    });
    expect(read.body.data?.grant).toEqual({
      database: 'sales',
      permission: 'read',
      userId: null,
      role: 'reader',
      tenant: null,
    });
    const write = await app.as('alice', GRANT, {
      i: { database: 'sales', permission: 'write', role: 'reader' },
    });
    expect(codeOf(write)).toBe('FORBIDDEN');
    expect(messageOf(write)).toBe(
      'grant cannot give write on database sales: the caller does not hold it',
    );
    expect(codeOf(await app.as('alice', '{ grants(database: "default") { permission } }'))).toBe(
      'FORBIDDEN',
    );
    await app.as('admin', REVOKE, { i: share });
  });

  test("a grant to a tenant's members is given in that tenant only", async () => {
    const acme = await app.as('admin', GRANT, {
      i: { database: 'sales', permission: 'delete', tenant: 'acme' },
    });
    expect(acme.body.data?.grant).toMatchObject({ tenant: 'acme', permission: 'delete' });
    const globex = await app.as('admin', GRANT, {
      i: { database: 'sales', permission: 'delete', tenant: 'globex' },
    });
    expect(codeOf(globex)).toBe('FORBIDDEN');
    expect(messageOf(globex)).toBe('user is not a member of tenant globex (grant)');
    const retracted = await app.as(
      'alice',
      'mutation { retract(database: "sales", pattern: "deal(?d, ?v)") { retracted } }',
    );
    expect(retracted.body.data?.retract).toEqual({ retracted: 1 });
    expect(
      codeOf(
        await app.as(
          'globexReader',
          'mutation { retract(database: "sales", pattern: "deal(?d, ?v)") { retracted } }',
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      (
        await app.as('root', REVOKE, {
          i: { database: 'sales', permission: 'delete', tenant: 'acme' },
        })
      ).body.data?.revoke,
    ).toBe(true);
    expect(
      (
        await app.as('root', REVOKE, {
          i: { database: 'sales', permission: 'delete', tenant: 'nowhere' },
        })
      ).body.data?.revoke,
    ).toBe(false);
  });

  test.each([
    [
      { database: 'sales', permission: 'read' },
      /exactly one of userId, role or tenant \(got none\)/,
    ],
    [
      { database: 'sales', permission: 'read', role: 'reader', tenant: 'acme' },
      /\(got role, tenant\)/,
    ],
    [{ database: 'sales', permission: 'read', userId: 'alice' }, /must be a user id/],
    [{ database: 'Sales!', permission: 'read', role: 'reader' }, /input.database must be/],
    [{ database: 'sales', permission: 'read', tenant: '../x' }, /input.tenant must be/],
  ])('%j is BAD_USER_INPUT', async (input, message) => {
    const result = await app.as('admin', GRANT, { i: input });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(messageOf(result)).toMatch(message);
  });

  test('an unknown user id or database is NOT_FOUND to those allowed to ask', async () => {
    const user = await app.as('admin', GRANT, {
      i: { database: 'sales', permission: 'read', userId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(codeOf(user)).toBe('NOT_FOUND');
    expect(codeOf(await app.as('root', '{ grants(database: "nope") { permission } }'))).toBe(
      'NOT_FOUND',
    );
  });

  test('outside managed mode there are no grants to manage', async () => {
    const result = await unmanaged.as('root', '{ grants(database: "sales") { permission } }');
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(messageOf(result)).toMatch(/AUTH_ENABLED=true/);
  });
});
