import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role, UserIdentity } from '@cairn/policy';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { DEFAULT_KNOWLEDGE_SETTINGS } from '../../src/knowledge/settings.js';
import { openTestStore, type TestStore } from '../support/test-server.js';
import {
  cellsOf,
  expectedAllowed,
  type Holder,
  OPERATIONS,
  OTHER_DATABASE,
  OWN_DATABASE,
  OWN_TENANT,
} from './matrix-table.js';
import {
  type AuthorizationApp,
  createAuthorizationApp,
  externalPrincipal,
  keyPrincipal,
  userPrincipal,
} from './support.js';

// The matrix against createApp with principals built directly (no credentials): every
// operation of the knowledge, database and grant API × every kind of caller × own/other
// database × own/other tenant. A cell passes when the answer is FORBIDDEN exactly where the
// table says so (an allowed cell may still fail for its own reasons: NOT_FOUND, CONFLICT…).

const admin: UserIdentity = {
  userId: 'owner',
  superuser: false,
  memberships: [{ tenant: OWN_TENANT, role: 'admin' }],
};
const root: UserIdentity = { userId: 'root', superuser: true, memberships: [] };

const callers: Array<{ holder: Holder; principal: Principal }> = [
  {
    holder: { name: 'superuser session', everything: true },
    principal: userPrincipal('root', [], true),
  },
  ...(['admin', 'writer', 'reader'] as const).map((role) => ({
    holder: { name: `${role} session`, role },
    principal: userPrincipal(`${role}-user`, [{ tenant: OWN_TENANT, role }]),
  })),
  ...(['admin', 'writer', 'reader'] as const).flatMap((role: Role) => [
    { holder: { name: `unscoped ${role} key`, role }, principal: keyPrincipal(admin, role) },
    {
      holder: { name: `${role} key scoped to ${OWN_DATABASE}`, role, databases: [OWN_DATABASE] },
      principal: keyPrincipal(admin, role, { databases: [OWN_DATABASE] }),
    },
  ]),
  {
    holder: { name: "superuser's unscoped admin key", everything: true },
    principal: keyPrincipal(root, 'admin'),
  },
  {
    holder: { name: "superuser's reader key", role: 'reader', everyTenant: true },
    principal: keyPrincipal(root, 'reader'),
  },
  {
    holder: { name: 'external writer token', role: 'writer' },
    principal: externalPrincipal('ext', OWN_TENANT, ['writer']),
  },
  {
    holder: { name: 'external reader token', role: 'reader' },
    principal: externalPrincipal('ext', OWN_TENANT, ['reader']),
  },
];

let store: TestStore;
let app: AuthorizationApp;
let importDir: string;

beforeAll(async () => {
  store = await openTestStore();
  importDir = await mkdtemp(join(tmpdir(), 'cairn-matrix-'));
  await writeFile(join(importDir, 'facts.txt'), 'p(imported)\n');
  const principals = Object.fromEntries(callers.map((c) => [c.holder.name, c.principal]));
  app = createAuthorizationApp(store, principals, {
    knowledge: { ...DEFAULT_KNOWLEDGE_SETTINGS, import: { importDir, maxBytes: 1024 } },
  });
  await store.registry.create(OWN_DATABASE);
  await store.registry.create(OTHER_DATABASE);
});
afterAll(async () => {
  await store?.close();
  if (importDir) await rm(importDir, { recursive: true, force: true });
});

const NO_TARGETS = { users: {}, keys: {} };

// One test per operation, listing every cell that disagrees with the table (none, when green).
describe.each(OPERATIONS.filter((operation) => !operation.managed))('$name', (operation) => {
  test('FORBIDDEN exactly where the table says', async () => {
    const cells = callers.flatMap(({ holder }) =>
      cellsOf(operation).map((cell) => ({
        caller: holder.name,
        cell,
        allowed: expectedAllowed(holder, operation, cell),
      })),
    );
    const mismatches: string[] = [];
    await Promise.all(
      cells.map(async ({ caller, cell, allowed }) => {
        const result = await app.as(caller, operation.document(cell, NO_TARGETS));
        const error = result.body.errors?.[0];
        if ((error?.extensions?.code === 'FORBIDDEN') === allowed) {
          mismatches.push(
            `${caller} on ${cell.database}/${cell.tenant}: expected ${allowed ? 'allowed' : 'FORBIDDEN'}, got ${JSON.stringify(error ?? 'success')}`,
          );
        }
      }),
    );
    expect(mismatches).toEqual([]);
    // Both answers occur for every operation but the open one: the table is not one-sided.
    if (operation.rule.kind !== 'anyone') {
      expect(new Set(cells.map((c) => c.allowed))).toEqual(new Set([true, false]));
    }
  });
});
