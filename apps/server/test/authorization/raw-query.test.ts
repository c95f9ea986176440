import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_KNOWLEDGE_SETTINGS } from '../../src/knowledge/settings.js';
import { openTestStore, type TestStore } from '../support/test-server.js';
import {
  type AuthorizationApp,
  codeOf,
  createAuthorizationApp,
  messageOf,
  userPrincipal,
} from './support.js';

const principals = {
  acme: userPrincipal('acme-writer', [{ tenant: 'acme', role: 'writer' }]),
  globex: userPrincipal('globex-writer', [{ tenant: 'globex', role: 'writer' }]),
};

let store: TestStore;
let strict: AuthorizationApp;
let open: AuthorizationApp;

beforeAll(async () => {
  store = await openTestStore();
  strict = createAuthorizationApp(store, principals, {
    knowledge: { ...DEFAULT_KNOWLEDGE_SETTINGS, allowRawQuery: false },
  });
  open = createAuthorizationApp(store, principals);
  await strict.as(
    'acme',
    'mutation { tellMany(facts: ["parent(a, b)", "parent(b, c)", "secret(acme, 1)"]) { count } }',
  );
  await strict.as('acme', 'mutation { teach(rule: "ancestor(?x, ?y) :- parent(?x, ?y)") { id } }');
});
afterAll(async () => store?.close());

const ask = (app: AuthorizationApp, who: string, query: string) =>
  app.as(who, 'query($q: String!) { ask(query: $q) { solutions count } }', { q: query });

describe('ALLOW_RAW_QUERY=false', () => {
  test('stored facts and taught rules are answered, comparisons and negation allowed', async () => {
    expect((await ask(strict, 'acme', 'parent(a, ?x)')).body.data?.ask).toEqual({
      solutions: [{ x: 'b' }],
      count: 1,
    });
    expect(
      (await ask(strict, 'acme', 'ancestor(?x, c), not parent(?x, a), ?x != z')).body.data?.ask,
    ).toEqual({
      solutions: [{ x: 'b' }],
      count: 1,
    });
  });

  test.each([
    [
      'an unknown predicate',
      'unknown(?x)',
      /unknown\/1 is neither taught by a rule nor stored as facts in tenant acme/,
    ],
    ['a known name with another arity', 'parent(?x)', /parent\/1/],
    ['an unknown predicate under negation', 'parent(?x, ?y), not banned(?x)', /banned\/1/],
    [
      'a rule inside the query',
      'ancestor(?x, ?y) :- parent(?x, ?y)',
      /does not accept rules inside a query/,
    ],
    [
      'a program with a query',
      'p(?x) :- parent(?x, ?y). p(?z)',
      /does not accept rules inside a query/,
    ],
  ])('%s is FORBIDDEN with a clear message', async (_name, query, message) => {
    const result = await ask(strict, 'acme', query);
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(messageOf(result)).toMatch(message);
    expect(messageOf(result)).toMatch(/ALLOW_RAW_QUERY=false/);
  });

  test('":-" inside a quoted string is data, not a rule', async () => {
    const result = await ask(strict, 'acme', 'parent(":-", ?x)');
    expect(result.body.data?.ask).toEqual({ solutions: [], count: 0 });
  });

  test("another tenant's predicates do not count as stored for the caller", async () => {
    const result = await ask(strict, 'globex', 'secret(?who, ?n)');
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(messageOf(result)).toBe(
      'this server answers only stored predicates (ALLOW_RAW_QUERY=false); secret/2 is neither taught by a rule nor stored as facts in tenant globex',
    );
  });

  test('the default (ALLOW_RAW_QUERY=true) answers any predicate', async () => {
    expect((await ask(open, 'acme', 'unknown(?x)')).body.data?.ask).toEqual({
      solutions: [],
      count: 0,
    });
    // Rules inside a query stay a syntax error there: ask takes a query, not a program.
    expect(codeOf(await ask(open, 'acme', 'p(?x) :- parent(?x, ?y)'))).toBe('BAD_USER_INPUT');
  });
});
