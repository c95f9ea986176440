import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestStore, type TestStore } from '../support/test-server.js';
import {
  type AuthorizationApp,
  codeOf,
  createAuthorizationApp,
  externalPrincipal,
  fieldOf,
  keyPrincipal,
  messageOf,
  userPrincipal,
} from './support.js';

// Two tenants share database "shared". Everything acme stores carries the marker "acmesecret";
// no answer, proof, listing or error given to globex may contain it (or the name "acme").
const acmeWriter = userPrincipal('acme-writer', [{ tenant: 'acme', role: 'writer' }]);
const acmeOwner = {
  userId: 'acme-writer',
  superuser: false,
  memberships: [{ tenant: 'acme', role: 'writer' as const }],
};
const principals = {
  acmeWriter,
  acmeReader: userPrincipal('acme-reader', [{ tenant: 'acme', role: 'reader' }]),
  globexWriter: userPrincipal('globex-writer', [{ tenant: 'globex', role: 'writer' }]),
  globexAdmin: userPrincipal('globex-admin', [{ tenant: 'globex', role: 'admin' }]),
  globexExternal: externalPrincipal('ext-1', 'globex', ['writer']),
  crmKey: keyPrincipal(acmeOwner, 'writer', { databases: ['crm'] }),
  root: userPrincipal('root', [], true),
};

let store: TestStore;
let app: AuthorizationApp;

const leaks = (value: unknown) => /acme/i.test(JSON.stringify(value));

beforeAll(async () => {
  store = await openTestStore();
  app = createAuthorizationApp(store, principals);
  await app.as(
    'root',
    'mutation { a: createDatabase(name: "shared") { name } b: createDatabase(name: "crm") { name } }',
  );
  const told = await app.as(
    'acmeWriter',
    'mutation($f: [String!]!) { tellMany(database: "shared", facts: $f) { count } }',
    {
      f: ['client(acmesecret, gold)', 'owes(acmesecret, 1000)', 'parent(a1, a2)', 'parent(a2, a3)'],
    },
  );
  expect(told.body.data?.tellMany).toEqual({ count: 4 });
  await app.as(
    'globexWriter',
    'mutation { tell(database: "shared", fact: "parent(g1, g2)") { text } }',
  );
  await app.as(
    'acmeWriter',
    'mutation { teach(database: "shared", rule: "ancestor(?x, ?y) :- parent(?x, ?y)") { id } }',
  );
  await app.as(
    'acmeWriter',
    'mutation { teach(database: "shared", rule: "ancestor(?x, ?z) :- parent(?x, ?y), ancestor(?y, ?z)") { id } }',
  );
});
afterAll(async () => store?.close());

describe('the tenant a caller acts in', () => {
  test('defaults to the caller own tenant: globex asks and sees only its facts', async () => {
    const asked = await app.as(
      'globexWriter',
      '{ ask(database: "shared", query: "ancestor(?x, ?y)") { solutions count } }',
    );
    expect(asked.body.data?.ask).toEqual({ solutions: [{ x: 'g1', y: 'g2' }], count: 1 });
  });

  test('naming another tenant is refused, and the refusal is audited', async () => {
    const before = app.denials.length;
    const asked = await app.as(
      'globexWriter',
      '{ ask(database: "shared", tenant: "acme", query: "client(?c, ?t)") { count } }',
    );
    expect(codeOf(asked)).toBe('FORBIDDEN');
    expect(messageOf(asked)).toBe('user is not a member of tenant acme (ask)');
    expect(asked.body.data).toBeNull();
    expect(app.denials.slice(before)).toMatchObject([
      {
        action: 'ask',
        resource: { database: 'shared', tenant: 'acme' },
        principal: { id: 'globex-writer' },
      },
    ]);
  });

  test.each([
    [
      'ask with proof',
      '{ ask(database: "shared", tenant: "acme", query: "ancestor(a1, ?y)", limit: 10, proof: true) { proofs } }',
    ],
    ['facts', '{ facts(database: "shared", tenant: "acme") { nodes { text } } }'],
    ['predicates', '{ predicates(database: "shared", tenant: "acme") { name facts } }'],
    [
      'tell',
      'mutation { tell(database: "shared", tenant: "acme", fact: "client(x, y)") { text } }',
    ],
    [
      'retract',
      'mutation { retract(database: "shared", tenant: "acme", pattern: "client(?c, ?t)") { retracted } }',
    ],
  ])('%s in another tenant: FORBIDDEN, nothing of it returned', async (_name, query) => {
    for (const who of ['globexWriter', 'globexAdmin', 'globexExternal']) {
      const result = await app.as(who, query);
      expect(codeOf(result), who).toBe('FORBIDDEN');
      expect(result.body.data ?? null).toBeNull();
      expect(JSON.stringify(result.body).includes('acmesecret')).toBe(false);
    }
  });

  test('the facts acme stored are still all there after the refused retract', async () => {
    const facts = await app.as('acmeReader', '{ facts(database: "shared") { nodes { text } } }');
    expect(fieldOf<{ nodes: unknown[] }>(facts, 'facts').nodes).toHaveLength(4);
  });
});

describe('answers carry only the caller partition', () => {
  test('proofs of a recursive rule use only the caller facts', async () => {
    const asked = await app.as(
      'globexWriter',
      '{ ask(database: "shared", query: "ancestor(?x, ?y)", limit: 10, proof: true) { solutions proofs } }',
    );
    expect(asked.body.errors).toBeUndefined();
    expect(JSON.stringify(asked.body.data)).toContain('parent(g1, g2)');
    expect(leaks(asked.body.data)).toBe(false);
  });

  test('predicates list only what the tenant stores (rules are the database own)', async () => {
    const listed = await app.as(
      'globexWriter',
      '{ predicates(database: "shared") { name arity facts } }',
    );
    const names = fieldOf<Array<{ name: string }>>(listed, 'predicates').map((p) => p.name);
    expect(names).not.toContain('client');
    expect(names).not.toContain('owes');
    expect(leaks(listed.body.data)).toBe(false);
  });

  test('a facts cursor from acme is refused in globex, without saying what it held', async () => {
    const page = await app.as(
      'acmeReader',
      '{ facts(database: "shared", first: 1) { pageInfo { endCursor } } }',
    );
    const cursor = fieldOf<{ pageInfo: { endCursor: string } }>(page, 'facts').pageInfo.endCursor;
    const replayed = await app.as(
      'globexWriter',
      '{ facts(database: "shared", first: 5, after: $after) { nodes { text } } }'.replace(
        '$after',
        JSON.stringify(cursor),
      ),
    );
    expect(codeOf(replayed)).toBe('BAD_USER_INPUT');
    expect(messageOf(replayed)).toMatch(/belongs to another listing/);
    expect(leaks(replayed.body)).toBe(false);
    // In its own listing the same cursor pages on.
    const next = await app.as(
      'acmeReader',
      `{ facts(database: "shared", first: 5, after: ${JSON.stringify(cursor)}) { nodes { text } } }`,
    );
    expect(fieldOf<{ nodes: unknown[] }>(next, 'facts').nodes).toHaveLength(3);
  });

  test('errors name only what the caller sent: a bad pattern, an unknown rule id', async () => {
    const bad = await app.as(
      'globexWriter',
      'mutation { retract(database: "shared", pattern: "client(") { retracted } }',
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(leaks(bad.body)).toBe(false);
    const unknown = await app.as(
      'globexWriter',
      'mutation { forgetRule(database: "shared", id: "rule-nope") }',
    );
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(leaks(unknown.body)).toBe(false);
  });

  test('databases lists only tenants the caller may read', async () => {
    const listed = await app.as('globexWriter', '{ databases { name tenants } }');
    expect(listed.body.data?.databases).toEqual(
      expect.arrayContaining([{ name: 'shared', tenants: ['globex'] }]),
    );
    expect(leaks(listed.body.data)).toBe(false);
    const acme = await app.as('acmeReader', '{ databases { name tenants } }');
    expect(acme.body.data?.databases).toEqual(
      expect.arrayContaining([{ name: 'shared', tenants: ['acme'] }]),
    );
    const root = await app.as('root', '{ databases { name tenants } }');
    expect(root.body.data?.databases).toEqual(
      expect.arrayContaining([
        { name: 'shared', tenants: expect.arrayContaining(['acme', 'globex']) },
      ]),
    );
  });
});

describe('database scopes and roles', () => {
  test('a key limited to crm lists only crm and is refused elsewhere, existing or not', async () => {
    const listed = await app.as('crmKey', '{ databases { name } }');
    expect(listed.body.data?.databases).toEqual([{ name: 'crm' }]);
    for (const database of ['shared', 'no-such-database']) {
      const asked = await app.as(
        'crmKey',
        `{ ask(database: "${database}", query: "client(?c, ?t)") { count } }`,
      );
      expect(codeOf(asked), database).toBe('FORBIDDEN');
      expect(messageOf(asked)).toBe(
        `API key is limited to databases [crm] and cannot reach database ${database} (ask)`,
      );
    }
    const told = await app.as(
      'crmKey',
      'mutation { tell(database: "crm", fact: "lead(x)") { tenant } }',
    );
    expect(told.body.data?.tell).toEqual({ tenant: 'acme' });
  });

  test('a reader is told which right it lacks', async () => {
    const told = await app.as(
      'acmeReader',
      'mutation { tell(database: "shared", fact: "client(x, y)") { text } }',
    );
    expect(codeOf(told)).toBe('FORBIDDEN');
    expect(messageOf(told)).toBe(
      'role reader in tenant acme cannot tell (needs write on database shared)',
    );
    const taught = await app.as(
      'acmeReader',
      'mutation { teach(database: "shared", rule: "p(?x) :- parent(?x, ?y)") { id } }',
    );
    expect(messageOf(taught)).toBe(
      'role reader in tenant acme cannot teach (needs write on database shared)',
    );
  });

  test('rules are shared: every tenant reader lists them', async () => {
    const rules = await app.as('globexWriter', '{ rules(database: "shared") { head } }');
    expect(rules.body.data?.rules).toHaveLength(2);
  });

  test('creating and deleting databases needs an admin', async () => {
    const created = await app.as(
      'globexWriter',
      'mutation { createDatabase(name: "mine") { name } }',
    );
    expect(codeOf(created)).toBe('FORBIDDEN');
    const admin = await app.as('globexAdmin', 'mutation { createDatabase(name: "mine") { name } }');
    expect(admin.body.data?.createDatabase).toEqual({ name: 'mine' });
    const deleted = await app.as('acmeWriter', 'mutation { deleteDatabase(name: "mine") }');
    expect(codeOf(deleted)).toBe('FORBIDDEN');
    expect(store.registry.list().map((db) => db.name)).toContain('mine');
    const byAdmin = await app.as('globexAdmin', 'mutation { deleteDatabase(name: "mine") }');
    expect(byAdmin.body.data?.deleteDatabase).toBe(true);
  });
});
