import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, graphql, openTestStore, type TestStore } from '../support/test-server.js';

let store: TestStore;
let app: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  store = await openTestStore();
  app = createTestApp(store);
});
afterAll(async () => store?.close());

const codeOf = (result: Awaited<ReturnType<typeof graphql>>) =>
  result.body.errors?.[0]?.extensions?.code;

describe('tell, ask, retract, teach', () => {
  test('a told fact is answered, with provenance and window', async () => {
    const told = await graphql(
      app,
      'mutation($f: String!) { tell(database: "default", tenant: "t1", fact: $f) { tenant predicate args negated confidence text assertedBy validFrom validUntil } }',
      { f: 'plan(acme, enterprise) [confidence=0.9, ttl=3600]' },
    );
    expect(told.body.errors).toBeUndefined();
    const fact = told.body.data?.tell as Record<string, unknown>;
    expect(fact).toMatchObject({
      tenant: 't1',
      predicate: 'plan',
      args: ['acme', 'enterprise'],
      negated: false,
      confidence: 0.9,
      assertedBy: 'local',
    });
    expect(Date.parse(fact.validUntil as string) - Date.parse(fact.validFrom as string)).toBe(
      3_600_000,
    );
    const asked = await graphql(
      app,
      '{ ask(tenant: "t1", query: "plan(acme, ?tier)") { solutions count truncated } }',
    );
    expect(asked.body.data?.ask).toEqual({
      solutions: [{ tier: 'enterprise' }],
      count: 1,
      truncated: false,
    });
    // Tenants never see each other's facts.
    const other = await graphql(app, '{ ask(tenant: "t2", query: "plan(acme, ?tier)") { count } }');
    expect(other.body.data?.ask).toEqual({ count: 0 });
  });

  test('tellJson takes the JSON form; strings are constants, errors name the path', async () => {
    const told = await graphql(
      app,
      'mutation($f: JSON!) { tellJson(tenant: "json", fact: $f) { text args } }',
      {
        f: { predicate: 'said', args: ['?not a variable', 3, true], confidence: 0.5 },
      },
    );
    expect(told.body.data?.tellJson).toEqual({
      text: 'said("?not a variable", 3, true) [confidence=0.5].',
      args: ['?not a variable', 3, true],
    });
    const bad = await graphql(app, 'mutation($f: JSON!) { tellJson(fact: $f) { text } }', {
      f: { predicate: 'p', args: [null] },
    });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'fact',
    });
    expect(bad.body.errors?.[0]?.message).toMatch(/args\[0\]/);
  });

  test('rules infer, proofs explain, forgetRule removes', async () => {
    const many = await graphql(
      app,
      'mutation($f: [String!]!) { tellMany(tenant: "fam", facts: $f) { count } }',
      {
        f: ['parent(alice, bob)', 'parent(bob, carol)', 'parent(carol, dave)'],
      },
    );
    expect(many.body.data?.tellMany).toEqual({ count: 3 });
    const taught = await graphql(
      app,
      'mutation { a: teach(rule: "anc(?x, ?y) :- parent(?x, ?y)") { id text } b: teach(rule: "anc(?x, ?z) :- parent(?x, ?y), anc(?y, ?z)") { id } }',
    );
    expect(taught.body.errors).toBeUndefined();
    const asked = await graphql(
      app,
      '{ ask(tenant: "fam", query: "anc(alice, ?who)", limit: 2, proof: true) { solutions count truncated proofs } }',
    );
    const result = asked.body.data?.ask as {
      solutions: unknown[];
      count: number;
      truncated: boolean;
      proofs: unknown[];
    };
    expect(result.count).toBe(3);
    expect(result.truncated).toBe(true);
    expect(result.solutions).toHaveLength(2);
    expect(result.proofs).toHaveLength(2);
    expect(JSON.stringify(result.proofs)).toContain('"fact":"parent(alice, bob)');
    const rules = await graphql(
      app,
      '{ rules { id head } predicates(tenant: "fam") { name arity facts derived } }',
    );
    expect(((rules.body.data?.rules ?? []) as unknown[]).length).toBe(2);
    expect(rules.body.data?.predicates).toEqual([
      { name: 'anc', arity: 2, facts: 0, derived: true },
      { name: 'parent', arity: 2, facts: 3, derived: false },
    ]);
    const id = ((taught.body.data?.b ?? {}) as { id?: string }).id;
    const forgot = await graphql(app, 'mutation($id: ID!) { forgetRule(id: $id) }', { id });
    expect(forgot.body.data?.forgetRule).toBe(true);
    const again = await graphql(app, 'mutation($id: ID!) { forgetRule(id: $id) }', { id });
    expect(codeOf(again)).toBe('NOT_FOUND');
    const fewer = await graphql(app, '{ ask(tenant: "fam", query: "anc(alice, ?who)") { count } }');
    expect(fewer.body.data?.ask).toEqual({ count: 1 });
  });

  test('retract closes matching facts', async () => {
    await graphql(
      app,
      'mutation { tellMany(tenant: "r", facts: ["likes(ann, tea)", "likes(ann, jam)", "likes(bob, tea)"]) { count } }',
    );
    const retracted = await graphql(
      app,
      'mutation { retract(tenant: "r", pattern: "likes(ann, ?x)") { retracted } }',
    );
    expect(retracted.body.data?.retract).toEqual({ retracted: 2 });
    const left = await graphql(
      app,
      '{ ask(tenant: "r", query: "likes(?who, ?what)") { solutions } }',
    );
    expect(left.body.data?.ask).toEqual({ solutions: [{ who: 'bob', what: 'tea' }] });
  });

  test('facts pages with cursors', async () => {
    await graphql(
      app,
      'mutation($f: [String!]!) { tellMany(tenant: "pages", facts: $f) { count } }',
      {
        f: Array.from({ length: 7 }, (_, i) => `n(${i})`),
      },
    );
    const seen: unknown[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const result = await graphql(
        app,
        'query($after: String) { facts(tenant: "pages", first: 3, after: $after) { edges { cursor node { args } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const connection = result.body.data?.facts as {
        edges: Array<{ node: { args: unknown[] } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      seen.push(...connection.edges.map((e) => e.node.args[0]));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('the largest page (a literal first: 1000) passes the query-cost limit', async () => {
    const result = await graphql(
      app,
      '{ facts(tenant: "pages", first: 1000) { edges { cursor node { predicate args text assertedAt } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(result.body.errors).toBeUndefined();
    const facts = result.body.data?.facts as { edges: unknown[] } | undefined;
    expect(facts?.edges).toHaveLength(7);
  });

  test('databases are created with their own files and deleted with them', async () => {
    const created = await graphql(
      app,
      'mutation { createDatabase(name: "scratch") { id name rules } }',
    );
    expect(created.body.data?.createDatabase).toMatchObject({ name: 'scratch', rules: 0 });
    await graphql(app, 'mutation { tell(database: "scratch", fact: "x(1)") { text } }');
    const duplicate = await graphql(app, 'mutation { createDatabase(name: "scratch") { id } }');
    expect(codeOf(duplicate)).toBe('CONFLICT');
    const list = await graphql(app, '{ databases { name } }');
    expect(list.body.data?.databases).toEqual([{ name: 'default' }, { name: 'scratch' }]);
    const deleted = await graphql(app, 'mutation { deleteDatabase(name: "scratch") }');
    expect(deleted.body.data?.deleteDatabase).toBe(true);
    const gone = await graphql(app, '{ ask(database: "scratch", query: "x(?n)") { count } }');
    expect(codeOf(gone)).toBe('NOT_FOUND');
    const recreated = await graphql(app, 'mutation { createDatabase(name: "scratch") { id } }');
    expect(recreated.body.errors).toBeUndefined();
    const empty = await graphql(app, '{ ask(database: "scratch", query: "x(?n)") { count } }');
    expect(empty.body.data?.ask).toEqual({ count: 0 });
    expect(codeOf(await graphql(app, 'mutation { deleteDatabase(name: "default") }'))).toBe(
      'CONFLICT',
    );
  });
});

describe('bad input is refused with a code, the argument and a position', () => {
  const cases: Array<[string, string, Record<string, unknown>, string, string | undefined]> = [
    [
      'tell syntax',
      'mutation($v: String!) { tell(fact: $v) { text } }',
      { v: 'p(a, ' },
      'BAD_USER_INPUT',
      'fact',
    ],
    [
      'tell variable',
      'mutation($v: String!) { tell(fact: $v) { text } }',
      { v: 'p(?x)' },
      'BAD_USER_INPUT',
      'fact',
    ],
    [
      'tell confidence',
      'mutation($v: String!) { tell(fact: $v) { text } }',
      { v: 'p(a) [confidence=2]' },
      'BAD_USER_INPUT',
      'fact',
    ],
    [
      'tell bad database',
      'mutation { tell(database: "No Such!", fact: "p(a)") { text } }',
      {},
      'BAD_USER_INPUT',
      'database',
    ],
    [
      'tell unknown database',
      'mutation { tell(database: "nope", fact: "p(a)") { text } }',
      {},
      'NOT_FOUND',
      undefined,
    ],
    [
      'tell bad tenant',
      'mutation { tell(tenant: "a b", fact: "p(a)") { text } }',
      {},
      'BAD_USER_INPUT',
      'tenant',
    ],
    ['tellMany empty', 'mutation { tellMany(facts: []) { count } }', {}, 'BAD_USER_INPUT', 'facts'],
    [
      'tellMany one bad',
      'mutation { tellMany(facts: ["p(a)", "p("]) { count } }',
      {},
      'BAD_USER_INPUT',
      'facts[1]',
    ],
    [
      'retract two atoms',
      'mutation { retract(pattern: "p(?x), q(?x)") { retracted } }',
      {},
      'BAD_USER_INPUT',
      'pattern',
    ],
    [
      'retract syntax',
      'mutation { retract(pattern: "p(") { retracted } }',
      {},
      'BAD_USER_INPUT',
      'pattern',
    ],
    [
      'teach unsafe',
      'mutation { teach(rule: "h(?x) :- not p(?x)") { id } }',
      {},
      'BAD_USER_INPUT',
      'rule',
    ],
    ['teach syntax', 'mutation { teach(rule: "h(?x) :-") { id } }', {}, 'BAD_USER_INPUT', 'rule'],
    ['forget unknown', 'mutation { forgetRule(id: "nope") }', {}, 'NOT_FOUND', 'id'],
    ['ask syntax', '{ ask(query: "p(?x") { count } }', {}, 'BAD_USER_INPUT', 'query'],
    ['ask limit 0', '{ ask(query: "p(?x)", limit: 0) { count } }', {}, 'BAD_USER_INPUT', 'limit'],
    [
      'ask proof without limit',
      '{ ask(query: "p(?x)", proof: true) { count } }',
      {},
      'BAD_USER_INPUT',
      'limit',
    ],
    [
      'ask proof limit too big',
      '{ ask(query: "p(?x)", proof: true, limit: 101) { count } }',
      {},
      'BAD_USER_INPUT',
      'limit',
    ],
    [
      'ask limit huge',
      '{ ask(query: "p(?x)", limit: 1000000) { count } }',
      {},
      'BAD_USER_INPUT',
      'limit',
    ],
    [
      'facts first 0',
      '{ facts(first: 0) { pageInfo { hasNextPage } } }',
      {},
      'BAD_USER_INPUT',
      'first',
    ],
    [
      'facts bad cursor',
      '{ facts(after: "garbage") { pageInfo { hasNextPage } } }',
      {},
      'BAD_USER_INPUT',
      'after',
    ],
    [
      'createDatabase bad name',
      'mutation { createDatabase(name: "../etc") { id } }',
      {},
      'BAD_USER_INPUT',
      'name',
    ],
    [
      'deleteDatabase unknown',
      'mutation { deleteDatabase(name: "ghost") }',
      {},
      'NOT_FOUND',
      undefined,
    ],
  ];
  test.each(cases)('%s', async (_name, query, variables, code, argument) => {
    const result = await graphql(app, query, variables);
    expect(result.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(result.body.errors?.[0]?.extensions?.argument).toBe(argument);
    expect(result.body.errors?.[0]?.message).not.toMatch(/at .*\.ts:\d+/);
  });

  test('syntax errors carry line and column', async () => {
    const result = await graphql(app, 'mutation($v: String!) { tell(fact: $v) { text } }', {
      v: 'p(a, ',
    });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      line: 1,
      column: 6,
    });
  });

  test('a rule making negation recursive is refused and changes nothing', async () => {
    await graphql(
      app,
      'mutation { teach(database: "default", rule: "win(?x) :- move(?x, ?y), not win(?y)") { id } }',
    ).then((r) => expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT'));
    const rules = await graphql(app, '{ rules { text } }');
    expect(
      ((rules.body.data?.rules ?? []) as Array<{ text: string }>).some((r) =>
        r.text.startsWith('win'),
      ),
    ).toBe(false);
  });
});
