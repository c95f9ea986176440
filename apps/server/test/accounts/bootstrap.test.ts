import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestStore } from '../support/test-server.js';
import {
  ADMIN_PASSWORD,
  BOOTSTRAP,
  createManagedTestApp,
  type ManagedTestApp,
  ME,
  openManagedTestStore,
} from './support/managed-app.js';

let store: TestStore;
let app: ManagedTestApp;

beforeAll(async () => {
  store = await openManagedTestStore();
  app = await createManagedTestApp(store);
});
afterAll(async () => {
  await app?.identity.audit.flush();
  await store?.close();
});

describe('the anonymous caller of managed mode', () => {
  test('gets 401 with WWW-Authenticate for anything but obtaining a credential', async () => {
    for (const query of [ME, '{ databases { name } }', '{ __schema { queryType { name } } }']) {
      const result = await app.run(query);
      expect(result.status, query).toBe(401);
      expect(result.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.body.data ?? null).toBeNull();
    }
  });

  test('cannot smuggle a field through a fragment or an inline fragment', async () => {
    const viaFragment = await app.run(
      'mutation { ...M } fragment M on Mutation { tell(fact: "p(a)") { text } }',
    );
    expect(viaFragment.status).toBe(401);
    const inline = await app.run('query { ... on Query { databases { name } } }');
    expect(inline.status).toBe(401);
  });

  test('is refused /metrics', async () => {
    const response = await app.yoga.fetch('http://cairn.test/metrics');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  test('an unreadable credential is a 401 without saying why', async () => {
    const result = await app.run(ME, {}, 'not-a-credential');
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]?.message).toBe(
      'the credential is not valid; send a valid API key or access token',
    );
  });
});

describe('bootstrap', () => {
  test('refuses weak input before touching the store', async () => {
    const short = await app.run(BOOTSTRAP, { username: 'admin', password: 'short', keyName: 'k' });
    expect(short.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(short.body.errors?.[0]?.message).toMatch(/at least 12 characters/);
    expect(await store.sql.users.count()).toBe(0);
  });

  test('creates the first superuser and an admin key that authenticates; then FORBIDDEN', async () => {
    const first = await app.run(BOOTSTRAP, {
      username: 'admin',
      password: ADMIN_PASSWORD,
      keyName: 'first key',
    });
    expect(first.status).toBe(200);
    const issued = first.body.data?.bootstrap as {
      apiKey: string;
      key: { id: string; role: string; databases: null; tenants: null; ownerUserId: string };
    };
    expect(issued.apiKey).toMatch(/^cairn_[0-9A-Za-z]{49}$/);
    expect(issued.key).toMatchObject({ role: 'admin', databases: null, tenants: null });

    const me = await app.run(ME, {}, issued.apiKey);
    expect(me.body.data?.me).toEqual({
      id: `key:${issued.key.id}`,
      name: 'first key',
      kind: 'api-key',
      tenant: 'default',
      roles: ['admin'],
      superuser: true,
    });
    const user = await store.sql.users.findById(issued.key.ownerUserId);
    expect(user).toMatchObject({ username: 'admin', isActive: true, isSuperuser: true });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);

    const again = await app.run(BOOTSTRAP, {
      username: 'second',
      password: ADMIN_PASSWORD,
      keyName: 'k',
    });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(again.body.data ?? null).toBeNull();
    expect(await store.sql.users.count()).toBe(1);

    await app.identity.audit.flush();
    const { events } = await store.sql.auditEvents.list({ action: 'bootstrap' });
    expect(events.map((event) => event.outcome).sort()).toEqual(['denied', 'success']);
  });
});

describe('bootstrap under concurrency', () => {
  test('of eight simultaneous calls exactly one wins', async () => {
    const fresh = await openManagedTestStore();
    try {
      const other = await createManagedTestApp(fresh);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          other.run(BOOTSTRAP, {
            username: `racer${index}`,
            password: ADMIN_PASSWORD,
            keyName: `key ${index}`,
          }),
        ),
      );
      const winners = results.filter((result) => result.body.data?.bootstrap != null);
      const losers = results.filter((result) => result.body.errors !== undefined);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(7);
      for (const loser of losers) {
        expect(loser.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      expect(await fresh.sql.users.count()).toBe(1);
      expect(await fresh.sql.apiKeys.list()).toHaveLength(1);
      await other.identity.audit.flush();
    } finally {
      await fresh.close();
    }
  });
});
