import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  cellsOf,
  expectedAllowed,
  type Holder,
  OPERATIONS,
  OTHER_DATABASE,
  OTHER_TENANT,
  OWN_DATABASE,
  OWN_TENANT,
  type Targets,
} from '../../apps/server/test/authorization/matrix-table.js';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';

// The authorization matrix against a real `cairn serve` in managed mode: every GraphQL
// operation × every kind of caller (sessions of each role, the superuser, scoped and unscoped
// keys of each role, a superuser's keys, an external token) × own/other database × own/other
// tenant, each with a real credential. Expectations come from the one table in
// apps/server/test/authorization/matrix-table.ts.

const ENCRYPTION_KEY = formatKey(generateMasterKey());
const JWT_SECRET = 'authorization-matrix-external-secret-0123456789';
const PASSWORD = 'a password long enough for the matrix';
const ROOT_PASSWORD = 'the root password of the matrix run';

let data: Awaited<ReturnType<typeof createTempDataDir>>;
let importDir: string;
let server: ServerProcess;
const credentials = new Map<string, string>();
const holders: Holder[] = [];
let targets: Targets;

function as(credential: string, query: string, variables: Record<string, unknown> = {}) {
  return server.graphql(query, variables, { authorization: `Bearer ${credential}` });
}

async function must<T>(credential: string, query: string, field: string, variables = {}) {
  const result = await as(credential, query, variables);
  const value = result.body.data?.[field];
  if (value == null) throw new Error(`${field} failed: ${JSON.stringify(result.body.errors)}`);
  return value as T;
}

async function login(username: string, password: string): Promise<string> {
  const result = await server.graphql(
    'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
    { u: username, p: password },
  );
  const session = result.body.data?.login as { accessToken: string } | undefined;
  if (session === undefined) throw new Error(`login ${username}: ${JSON.stringify(result.body)}`);
  return session.accessToken;
}

async function createUser(root: string, username: string, tenant: string, role: string) {
  const user = await must<{ id: string }>(
    root,
    'mutation($u: String!, $p: String!, $t: String!, $r: Role!) { createUser(input: {username: $u, password: $p, tenant: $t, role: $r, isActive: true}) { id } }',
    'createUser',
    { u: username, p: PASSWORD, t: tenant, r: role },
  );
  return user.id;
}

async function createKey(
  credential: string,
  role: string,
  scope: { databases?: string[]; tenants?: string[] } = {},
) {
  return must<{ apiKey: string; key: { id: string } }>(
    credential,
    'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey key { id } } }',
    'createApiKey',
    { i: { name: `${role} key`, role, ...scope } },
  );
}

/** An HS256 token as another system mints it (`jwt.encode(payload, secret, "HS256")`). */
function externalToken(tenant: string, roles: string[]): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ user_id: 'ext-1', tenant_id: tenant, roles, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

function add(holder: Holder, credential: string) {
  holders.push(holder);
  credentials.set(holder.name, credential);
}

beforeAll(async () => {
  data = await createTempDataDir('cairn-authz-matrix-');
  importDir = await mkdtemp(join(tmpdir(), 'cairn-authz-import-'));
  await writeFile(join(importDir, 'facts.txt'), 'p(imported)\n');
  server = await startServer(
    {
      DATA_DIR: data.dir,
      ENCRYPTION_KEY,
      AUTH_ENABLED: 'true',
      JWT_SECRET,
      SUPERUSER: 'root',
      SUPERUSER_PASSWORD: ROOT_PASSWORD,
      ACCEPT_LOCAL_FILE_PATH: 'true',
      IMPORT_DIR: importDir,
    },
    { timeoutMs: 120_000 },
  );
  const root = await login('root', ROOT_PASSWORD);
  for (const name of [OWN_DATABASE, OTHER_DATABASE]) {
    await must(root, `mutation { createDatabase(name: "${name}") { name } }`, 'createDatabase');
  }
  add({ name: 'superuser session', everything: true }, root);
  for (const role of ['admin', 'writer', 'reader'] as const) {
    await createUser(root, role, OWN_TENANT, role);
    add({ name: `${role} session`, role }, await login(role, PASSWORD));
  }
  const admin = credentials.get('admin session') ?? '';
  for (const role of ['admin', 'writer', 'reader'] as const) {
    add({ name: `unscoped ${role} key`, role }, (await createKey(admin, role)).apiKey);
    add(
      { name: `${role} key scoped to ${OWN_DATABASE}`, role, databases: [OWN_DATABASE] },
      (await createKey(admin, role, { databases: [OWN_DATABASE] })).apiKey,
    );
  }
  add(
    { name: "superuser's unscoped admin key", everything: true },
    (await createKey(root, 'admin')).apiKey,
  );
  add(
    { name: "superuser's reader key", role: 'reader', everyTenant: true },
    (await createKey(root, 'reader')).apiKey,
  );
  add(
    { name: 'external writer token', role: 'writer', external: true },
    externalToken(OWN_TENANT, ['writer']),
  );
  add(
    { name: 'external reader token', role: 'reader', external: true },
    externalToken(OWN_TENANT, ['reader']),
  );

  // A user and a key of that user in each tenant, for the operations on someone else.
  const users: Record<string, string> = {};
  const keys: Record<string, string> = {};
  for (const tenant of [OWN_TENANT, OTHER_TENANT]) {
    users[tenant] = await createUser(root, `target-${tenant}`, tenant, 'reader');
    const token = await login(`target-${tenant}`, PASSWORD);
    keys[tenant] = (await createKey(token, 'reader', { tenants: [tenant] })).key.id;
  }
  targets = { users, keys };
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await data?.remove();
  if (importDir) await rm(importDir, { recursive: true, force: true });
});

describe.each(OPERATIONS)('$name', (operation) => {
  test('FORBIDDEN exactly where the table says', async () => {
    const mismatches: string[] = [];
    const cells = holders.flatMap((holder) =>
      cellsOf(operation).map((cell) => ({
        holder,
        cell,
        allowed: expectedAllowed(holder, operation, cell),
      })),
    );
    for (const { holder, cell, allowed } of cells) {
      const result = await as(
        credentials.get(holder.name) ?? '',
        operation.document(cell, targets),
      );
      const error = result.body.errors?.[0];
      const forbidden = error?.extensions?.code === 'FORBIDDEN';
      if (forbidden === allowed || error?.extensions?.code === 'UNAUTHENTICATED') {
        mismatches.push(
          `${holder.name} on ${cell.database}/${cell.tenant}: expected ${allowed ? 'allowed' : 'FORBIDDEN'}, got ${JSON.stringify(error ?? 'success')}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });
});
