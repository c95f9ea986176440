import { generateApiKey } from '@cairn/crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestStore } from '../support/test-server.js';
import {
  bootstrapAdmin,
  CREATE_API_KEY,
  createFakeClock,
  createManagedTestApp,
  type FakeClock,
  type ManagedTestApp,
  ME,
  openManagedTestStore,
} from './support/managed-app.js';

let store: TestStore;
let app: ManagedTestApp;
let clock: FakeClock;
let admin: { apiKey: string; userId: string };
const findByHashCalls: string[] = [];
const touchCalls: string[] = [];

beforeAll(async () => {
  store = await openManagedTestStore();
  // Count the lookups the resolver makes, on the real repository.
  const findByHash = store.sql.apiKeys.findByHash.bind(store.sql.apiKeys);
  const touchLastUsed = store.sql.apiKeys.touchLastUsed.bind(store.sql.apiKeys);
  Object.assign(store.sql.apiKeys, {
    findByHash: (hash: string, at?: Date) => {
      findByHashCalls.push(hash);
      return findByHash(hash, at);
    },
    touchLastUsed: (id: string, at?: Date) => {
      touchCalls.push(id);
      return touchLastUsed(id, at);
    },
  });
  clock = createFakeClock();
  app = await createManagedTestApp(store, { AUTH_FAILURE_LIMIT: '1000' }, clock);
  admin = await bootstrapAdmin(app);
});
afterAll(async () => {
  await app?.identity.audit.flush();
  await store?.close();
});

function meWith(credential: string) {
  return app.run(ME, {}, credential);
}

/** Polls until `read` gives a value `done` accepts (background writes land soon after). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (done(value) || attempt >= 100) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function createKey(input: Record<string, unknown>, credential = admin.apiKey) {
  const result = await app.run(CREATE_API_KEY, { input }, credential);
  const issued = result.body.data?.createApiKey as { apiKey: string; key: { id: string } };
  if (issued === undefined) throw new Error(JSON.stringify(result.body));
  return issued;
}

describe('API keys', () => {
  test('a key with a bad checksum is refused without any lookup', async () => {
    const valid = generateApiKey();
    const last = valid.at(-1) === 'A' ? 'B' : 'A';
    const corrupted = `${valid.slice(0, -1)}${last}`;
    const before = findByHashCalls.length;
    const result = await meWith(corrupted);
    expect(result.status).toBe(401);
    expect(findByHashCalls.length).toBe(before);
    // A well-formed but unknown key is looked up (and refused the same way).
    const unknown = await meWith(generateApiKey());
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(result.body);
    expect(findByHashCalls.length).toBe(before + 1);
  });

  test('the raw key is shown once; listings never hold it or its hash', async () => {
    const issued = await createKey({ name: 'listing', role: 'reader', databases: ['default'] });
    const listed = await app.run(
      '{ apiKeys { id name role databases active lastUsedAt } }',
      {},
      admin.apiKey,
    );
    expect(JSON.stringify(listed.body)).not.toContain(issued.apiKey);
    const row = await store.sql.apiKeys.findById(issued.key.id);
    expect(JSON.stringify(listed.body)).not.toContain(row?.keyHash);
    expect(listed.body.data?.apiKeys).toContainEqual(
      expect.objectContaining({ id: issued.key.id, role: 'reader', databases: ['default'] }),
    );
  });

  test('revocation takes effect at once here, and within the 1 s cache from another process', async () => {
    const viaApi = await createKey({ name: 'revoked via api', role: 'reader' });
    expect((await meWith(viaApi.apiKey)).status).toBe(200);
    const revoke = await app.run(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt active } }',
      { id: viaApi.key.id },
      admin.apiKey,
    );
    expect(revoke.body.data?.revokeApiKey).toMatchObject({ active: false });
    expect((await meWith(viaApi.apiKey)).status).toBe(401);

    const elsewhere = await createKey({ name: 'revoked elsewhere', role: 'reader' });
    expect((await meWith(elsewhere.apiKey)).status).toBe(200);
    // Another server revokes it: this one only learns when its cached lookup expires.
    await store.sql.apiKeys.revoke(elsewhere.key.id);
    clock.advance(1001);
    expect((await meWith(elsewhere.apiKey)).status).toBe(401);
  });

  test('after a rotation the old secret works during the grace, then stops', async () => {
    const original = await createKey({ name: 'rotated', role: 'reader' });
    const rotation = await app.run(
      'mutation ($id: ID!) { rotateApiKey(id: $id, graceSeconds: 60) { apiKey key { id previousSecretValidUntil } } }',
      { id: original.key.id },
      admin.apiKey,
    );
    const rotated = rotation.body.data?.rotateApiKey as { apiKey: string; key: { id: string } };
    expect(rotated.key.id).toBe(original.key.id);
    expect(rotated.apiKey).not.toBe(original.apiKey);
    expect((await meWith(original.apiKey)).status).toBe(200);
    expect((await meWith(rotated.apiKey)).status).toBe(200);
    clock.advance(61_000);
    expect((await meWith(original.apiKey)).status).toBe(401);
    expect((await meWith(rotated.apiKey)).status).toBe(200);

    const noGrace = await app.run(
      'mutation ($id: ID!) { rotateApiKey(id: $id) { apiKey } }',
      { id: original.key.id },
      admin.apiKey,
    );
    const newest =
      (noGrace.body.data?.rotateApiKey as { apiKey: string } | undefined)?.apiKey ?? '';
    expect((await meWith(rotated.apiKey)).status).toBe(401);
    expect((await meWith(newest)).status).toBe(200);
  });

  test('an expired key is refused', async () => {
    const expiring = await createKey({
      name: 'expiring',
      role: 'reader',
      expiresAt: new Date(clock() + 30_000).toISOString(),
    });
    expect((await meWith(expiring.apiKey)).status).toBe(200);
    clock.advance(31_000);
    expect((await meWith(expiring.apiKey)).status).toBe(401);
  });

  test('bad input names the argument', async () => {
    const result = await app.run(
      CREATE_API_KEY,
      { input: { name: 'x', role: 'reader', databases: ['Not A Name'] } },
      admin.apiKey,
    );
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'input.databases[0]',
    });
    const past = await app.run(
      CREATE_API_KEY,
      { input: { name: 'x', role: 'reader', expiresAt: '2000-01-01T00:00:00Z' } },
      admin.apiKey,
    );
    expect(past.body.errors?.[0]?.extensions?.argument).toBe('input.expiresAt');
  });

  test('last-used time is written at most once a minute', async () => {
    const key = await createKey({ name: 'touched', role: 'reader' });
    const lastUsed = async () => (await store.sql.apiKeys.findById(key.key.id))?.lastUsedAt;
    await meWith(key.apiKey);
    const first = await eventually(lastUsed, (at) => at != null);
    expect(first?.getTime()).toBe(clock());
    clock.advance(30_000);
    await meWith(key.apiKey);
    expect(touchCalls.filter((id) => id === key.key.id)).toHaveLength(1);
    clock.advance(31_000);
    await meWith(key.apiKey);
    const later = await eventually(lastUsed, (at) => at?.getTime() !== first?.getTime());
    expect(later?.getTime()).toBe(clock());
    expect(touchCalls.filter((id) => id === key.key.id)).toHaveLength(2);
  });
});
