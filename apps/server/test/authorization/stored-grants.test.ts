import type { Grant } from '@cairn/policy';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAuthorizer } from '../../src/auth/authorize.js';
import { auditDenials, createGrantLoader } from '../../src/auth/stored-grants.js';
import type { AuditRecorder } from '../../src/identity/audit.js';
import { openTestStore, type TestStore } from '../support/test-server.js';
import { userPrincipal } from './support.js';

let store: TestStore;
let aliceId: string;

beforeAll(async () => {
  store = await openTestStore();
  const sales = await store.registry.create('sales');
  const alice = await store.sql.users.create({
    username: 'alice',
    passwordHash: 'not-a-real-hash',
  });
  aliceId = alice.id;
  const acme = await store.sql.tenants.create('acme');
  await store.sql.grants.grant({ databaseId: sales.id, permission: 'write', userId: alice.id });
  await store.sql.grants.grant({ databaseId: sales.id, permission: 'share', role: 'writer' });
  await store.sql.grants.grant({ databaseId: sales.id, permission: 'delete', tenantId: acme.id });
});
afterAll(async () => store?.close());

describe('grants read from the SQL store', () => {
  test('come back keyed by the names requests use', async () => {
    const grants = await createGrantLoader(store.sql)('sales');
    expect(grants).toEqual(
      expect.arrayContaining<Grant>([
        { database: 'sales', permission: 'write', subject: { userId: aliceId } },
        { database: 'sales', permission: 'share', subject: { role: 'writer' } },
        { database: 'sales', permission: 'delete', subject: { tenant: 'acme' } },
      ]),
    );
    expect(grants).toHaveLength(3);
  });

  test('an unknown database has none (and says nothing about what exists)', async () => {
    expect(await createGrantLoader(store.sql)('no-such-database')).toEqual([]);
  });

  test('a stored grant lets a reader write, in its own tenant only', async () => {
    const authorizer = createAuthorizer({ loadGrants: createGrantLoader(store.sql) });
    const alice = authorizer(userPrincipal(aliceId, [{ tenant: 'acme', role: 'reader' }]));
    await expect(alice('tell', { database: 'sales', tenant: 'acme' })).resolves.toBeUndefined();
    await expect(alice('tell', { database: 'default', tenant: 'acme' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const bob = authorizer(userPrincipal('bob', [{ tenant: 'acme', role: 'reader' }]));
    await expect(bob('tell', { database: 'sales', tenant: 'acme' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'role reader in tenant acme cannot tell (needs write on database sales)',
    });
    // The tenant grant gives acme's members delete on sales.
    await expect(bob('retract', { database: 'sales', tenant: 'acme' })).resolves.toBeUndefined();
  });

  test('one request reads the grants of a database once', async () => {
    const loader = createGrantLoader(store.sql);
    const asked: string[] = [];
    const authorizer = createAuthorizer({
      loadGrants: (database) => {
        asked.push(database);
        return loader(database);
      },
    });
    const request = authorizer(userPrincipal(aliceId, [{ tenant: 'acme', role: 'reader' }]));
    for (let i = 0; i < 5; i++) await request.allows('ask', { database: 'sales', tenant: 'acme' });
    await request('ask', { database: 'default', tenant: 'acme' });
    expect(asked).toEqual(['sales', 'default']);
  });

  test('local and shared-key callers never need the store', async () => {
    const authorizer = createAuthorizer({
      loadGrants: () => Promise.reject(new Error('must not be read')),
    });
    const local = authorizer({
      id: 'local',
      name: 'local',
      kind: 'local',
      tenant: null,
      access: { kind: 'local' },
    });
    await expect(local('deleteDatabase', { database: 'sales' })).resolves.toBeUndefined();
  });

  test('the anonymous caller is asked to authenticate, and allows() is false', async () => {
    const authorizer = createAuthorizer({});
    const anonymous = authorizer({
      id: 'anonymous',
      name: 'anonymous',
      kind: 'anonymous',
      tenant: null,
      access: null,
    });
    await expect(anonymous('databases')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await anonymous.allows('databases')).toBe(false);
  });
});

describe('denials in the audit trail', () => {
  test('each refusal is recorded as authorization.denied with operation, database, tenant, reason', async () => {
    const pending: Promise<unknown>[] = [];
    const audit: AuditRecorder = {
      record: (entry) => {
        pending.push(store.sql.auditEvents.append({ ...entry }));
      },
      flush: async () => {
        await Promise.all(pending);
      },
    };
    const authorizer = createAuthorizer({
      loadGrants: createGrantLoader(store.sql),
      onDenied: auditDenials(audit),
    });
    const request = authorizer(userPrincipal('carol', [{ tenant: 'globex', role: 'reader' }]), {
      clientAddress: '203.0.113.9',
      requestId: 'req-1',
    });
    await expect(request('tell', { database: 'sales', tenant: 'acme' })).rejects.toThrow();
    // A filtered list is not a refusal: allows() records nothing.
    expect(await request.allows('facts', { database: 'sales', tenant: 'acme' })).toBe(false);
    await audit.flush();
    const { events } = await store.sql.auditEvents.list({ action: 'authorization.denied' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'authorization.denied',
      outcome: 'denied',
      actor: 'carol',
      target: 'sales',
      clientIp: '203.0.113.9',
      requestId: 'req-1',
      details: {
        operation: 'tell',
        database: 'sales',
        tenant: 'acme',
        reason: 'user is not a member of tenant acme (tell)',
      },
    });
  });
});
