import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTempDataDir, startServer } from '../support/server-process.js';

let data: Awaited<ReturnType<typeof createTempDataDir>>;
const ENCRYPTION_KEY = formatKey(generateMasterKey());

beforeAll(async () => {
  data = await createTempDataDir('cairn-accounts-crash-');
});
afterAll(async () => data?.remove());

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
const ME = '{ me { id kind } }';

// PGlite does not fsync (DESIGN §5): a user or key acknowledged and then lost to a crash would
// let a revoked admin back in or lock a new one out. SIGKILL right after each answer.
test('users and keys acknowledged before a SIGKILL survive it', async () => {
  const env = { DATA_DIR: data.dir, ENCRYPTION_KEY, AUTH_ENABLED: 'true' };
  let server = await startServer(env);
  const boot = await server.graphql(
    'mutation { bootstrap(username: "admin", password: "correct horse battery", keyName: "first") { apiKey } }',
  );
  const adminKey = (boot.body.data?.bootstrap as { apiKey: string } | undefined)?.apiKey ?? '';
  expect(adminKey).toMatch(/^cairn_/);
  await server.stop('SIGKILL');

  server = await startServer(env);
  expect((await server.graphql(ME, {}, bearer(adminKey))).status).toBe(200);
  const user = await server.graphql(
    'mutation { createUser(input: { username: "ops", password: "ops password 1234", isActive: true, role: writer }) { id } }',
    {},
    bearer(adminKey),
  );
  expect(user.body.errors).toBeUndefined();
  const key = await server.graphql(
    'mutation { createApiKey(input: { name: "ci", role: reader }) { apiKey key { id } } }',
    {},
    bearer(adminKey),
  );
  const issued = key.body.data?.createApiKey as { apiKey: string; key: { id: string } };
  expect(issued.apiKey).toMatch(/^cairn_/);
  await server.stop('SIGKILL');

  server = await startServer(env);
  try {
    expect((await server.graphql(ME, {}, bearer(issued.apiKey))).body.data?.me).toEqual({
      id: `key:${issued.key.id}`,
      kind: 'api-key',
    });
    const login = await server.graphql(
      'mutation { login(username: "ops", password: "ops password 1234") { accessToken } }',
    );
    expect(login.body.errors).toBeUndefined();
    // A revocation acknowledged before a crash holds after it too.
    const revoked = await server.graphql(
      `mutation { revokeApiKey(id: "${issued.key.id}") { active } }`,
      {},
      bearer(adminKey),
    );
    expect(revoked.body.data?.revokeApiKey).toEqual({ active: false });
    await server.stop('SIGKILL');
    server = await startServer(env);
    expect((await server.graphql(ME, {}, bearer(issued.apiKey))).status).toBe(401);
    expect((await server.graphql(ME, {}, bearer(adminKey))).status).toBe(200);
  } finally {
    await server.stop('SIGTERM');
  }
});
