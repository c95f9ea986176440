import { describe, expect, it } from 'vitest';
import { LogicError } from '../errors.js';
import type { Fact, Value } from '../language/ast.js';
import { parseFact, parseProgram, parseQuery, parseRule } from '../language/parser.js';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge-base.js';
import { solve } from './solve.js';

const facts = (text: string): Fact[] =>
  parseProgram(text).filter((c): c is Fact => c.kind === 'fact');
const answers = (
  kb: KnowledgeBase,
  query: string,
  tenant = 'default',
  asOf = 1000,
): Array<Record<string, Value>> => kb.ask(parseQuery(query), { tenant, asOf }).solutions;
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (error) {
    return error instanceof LogicError ? error.code : `not a LogicError: ${String(error)}`;
  }
  return undefined;
};

function family(): KnowledgeBase {
  const kb = createKnowledgeBase();
  kb.apply({ type: 'teach', id: 'anc1', rule: parseRule('anc(?x, ?y) :- parent(?x, ?y)'), at: 1 });
  kb.apply({
    type: 'teach',
    id: 'anc2',
    rule: parseRule('anc(?x, ?y) :- parent(?x, ?z), anc(?z, ?y)'),
    at: 1,
  });
  kb.apply({ type: 'teach', id: 'child', rule: parseRule('child(?x) :- anc(?y, ?x)'), at: 1 });
  kb.apply({
    type: 'teach',
    id: 'orphan',
    rule: parseRule('orphan(?x) :- person(?x), not child(?x)'),
    at: 1,
  });
  return kb;
}

describe('tenants', () => {
  it('never see each other’s facts, also through rules and negation', () => {
    const kb = family();
    kb.apply({
      type: 'assert',
      tenant: 'a',
      facts: facts('parent(ann, bob). person(ann). person(bob).'),
      at: 2,
    });
    kb.apply({
      type: 'assert',
      tenant: 'b',
      facts: facts('parent(bob, cid). person(ann). person(bob). person(cid).'),
      at: 2,
    });
    expect(answers(kb, 'anc(?x, ?y)', 'a')).toEqual([{ x: 'ann', y: 'bob' }]);
    expect(answers(kb, 'anc(?x, ?y)', 'b')).toEqual([{ x: 'bob', y: 'cid' }]);
    expect(answers(kb, 'orphan(?x)', 'a')).toEqual([{ x: 'ann' }]);
    expect(
      answers(kb, 'orphan(?x)', 'b')
        .map((s) => s.x)
        .sort(),
    ).toEqual(['ann', 'bob']);
    expect(answers(kb, 'parent(?x, ?y)', 'nobody')).toEqual([]);
    expect(kb.tenants()).toEqual(['a', 'b']);
    expect(kb.apply({ type: 'drop-tenant', tenant: 'a', at: 3 })).toEqual({ affected: 1 });
    expect(answers(kb, 'anc(?x, ?y)', 'a')).toEqual([]);
    expect(kb.tenants()).toEqual(['b']);
  });
});

describe('retract by pattern', () => {
  it('matches constants, variables and repeated variables', () => {
    const kb = createKnowledgeBase();
    kb.apply({
      type: 'assert',
      tenant: 't',
      facts: facts('e(a, a). e(a, b). e(b, b). e(b, c). f(a).'),
      at: 1,
    });
    const pattern = parseQuery('e(?x, ?x)').body[0];
    if (pattern?.kind !== 'literal') throw new Error('test setup');
    expect(kb.apply({ type: 'retract', tenant: 't', pattern: pattern.atom, at: 5 })).toEqual({
      affected: 2,
    });
    expect(answers(kb, 'e(?x, ?y)', 't', 10)).toEqual([
      { x: 'a', y: 'b' },
      { x: 'b', y: 'c' },
    ]);
    const byFirst = parseQuery('e(a, ?y)').body[0];
    if (byFirst?.kind !== 'literal') throw new Error('test setup');
    expect(kb.apply({ type: 'retract', tenant: 't', pattern: byFirst.atom, at: 6 })).toEqual({
      affected: 1,
    });
    expect(answers(kb, 'e(?x, ?y)', 't', 10)).toEqual([{ x: 'b', y: 'c' }]);
    // As of before the retractions, everything is still there.
    expect(answers(kb, 'e(?x, ?y)', 't', 4)).toHaveLength(4);
    const unknown = parseQuery('e(zzz, ?y)').body[0];
    if (unknown?.kind !== 'literal') throw new Error('test setup');
    expect(kb.apply({ type: 'retract', tenant: 't', pattern: unknown.atom, at: 7 })).toEqual({
      affected: 0,
    });
  });
});

describe('explicit false facts', () => {
  it('replace the positive fact, are listed, and take no part in inference', () => {
    const kb = createKnowledgeBase();
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: facts('alive(rex). dog(rex). dog(fido).'),
      at: 1,
    });
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [parseFact('not alive(rex)'), parseFact('not alive(fido)')],
      at: 2,
    });
    expect(answers(kb, 'alive(?x)')).toEqual([]);
    expect(
      answers(kb, 'dog(?x), not alive(?x)')
        .map((s) => s.x)
        .sort(),
    ).toEqual(['fido', 'rex']);
    const listed = [...kb.facts({ predicate: 'alive', asOf: 1000 })].map((f) => f.fact);
    expect(listed.every((f) => f.negated)).toBe(true);
    expect(listed).toHaveLength(2);
    kb.apply({ type: 'assert', tenant: 'default', facts: facts('alive(fido).'), at: 3 });
    expect(answers(kb, 'alive(?x)')).toEqual([{ x: 'fido' }]);
    expect([...kb.facts({ predicate: 'alive', asOf: 1000 })].map((f) => f.fact.negated)).toEqual([
      false,
      true,
    ]);
  });
});

describe('rules', () => {
  it('are taught, replaced by id, forgotten, and listed', () => {
    const kb = family();
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: facts('parent(a, b). parent(b, c).'),
      at: 2,
    });
    expect(answers(kb, 'anc(a, ?y)')).toHaveLength(2);
    kb.apply({ type: 'forget-rule', id: 'anc2', at: 3 });
    expect(answers(kb, 'anc(a, ?y)')).toEqual([{ y: 'b' }]);
    expect(kb.rules().map((r) => r.id)).toEqual(['anc1', 'child', 'orphan']);
    expect(codeOf(() => kb.apply({ type: 'forget-rule', id: 'anc2', at: 4 }))).toBe('UNKNOWN_RULE');
    kb.apply({
      type: 'teach',
      id: 'anc1',
      rule: parseRule('anc(?x, ?y) :- parent(?y, ?x)'),
      at: 5,
      by: 'me',
    });
    expect(answers(kb, 'anc(c, ?y)')).toEqual([{ y: 'b' }]);
    expect(kb.rules()[0]).toMatchObject({ id: 'anc1', at: 5, by: 'me' });
    const preds = kb.predicates();
    expect(preds).toContainEqual({ name: 'anc', arity: 2, facts: 0, derived: true });
    expect(preds).toContainEqual({ name: 'parent', arity: 2, facts: 2, derived: false });
  });

  it('reject negation through recursion, naming the cycle, and change nothing', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'teach', id: 'p', rule: parseRule('p(?x) :- r(?x), not q(?x)'), at: 1 });
    let error: unknown;
    try {
      kb.apply({ type: 'teach', id: 'q', rule: parseRule('q(?x) :- r(?x), p(?x)'), at: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LogicError);
    expect((error as LogicError).code).toBe('UNSTRATIFIABLE');
    expect((error as LogicError).message).toContain('p/1 -> not q/1 -> p/1');
    expect(kb.rules().map((r) => r.id)).toEqual(['p']);
    expect(
      codeOf(() =>
        kb.apply({ type: 'teach', id: 's', rule: parseRule('s(?x) :- r(?x), not s(?x)'), at: 3 }),
      ),
    ).toBe('UNSTRATIFIABLE');
    // p/1 and p/2 are different predicates: no cycle here.
    expect(
      codeOf(() =>
        kb.apply({
          type: 'teach',
          id: 't',
          rule: parseRule('q(?x, ?x) :- r(?x), not q(?x)'),
          at: 4,
        }),
      ),
    ).toBe(undefined);
  });

  it('reject unsafe rules and queries', () => {
    const kb = createKnowledgeBase();
    const unsafe = {
      kind: 'rule',
      head: { predicate: 'p', args: [{ kind: 'var', name: 'x' }] },
      body: [],
    } as const;
    expect(codeOf(() => kb.apply({ type: 'teach', id: 'u', rule: unsafe, at: 1 }))).toBe(
      'UNSAFE_RULE',
    );
    expect(
      codeOf(() =>
        kb.apply({ type: 'teach', id: 'u', rule: parseRule('p(?x) :- q(?y), not r(?x)'), at: 1 }),
      ),
    ).toBe('UNSAFE_RULE');
    expect(codeOf(() => kb.ask(parseQuery('q(?y), ?x > 3')))).toBe('UNSAFE_RULE');
    expect(kb.rules()).toEqual([]);
  });
});

describe('comparisons', () => {
  const program = parseProgram(`
    v(1). v(2.5). v(10). v("10"). v(abc). v("abd"). v(true). v(false). v("é"). v("😀"). v("\uFFFD").`);
  const ask = (q: string): Value[] =>
    solve(program, parseQuery(q)).solutions.map((s) => s.x as Value);

  it('compare numbers numerically and strings by code point; mixed types are false', () => {
    expect(ask('v(?x), ?x > 2')).toEqual([2.5, 10]);
    expect(ask('v(?x), ?x >= "abc"')).toEqual(['abc', 'abd', 'é', '😀', '\uFFFD']);
    // Code point order puts U+1F600 after U+FFFD (UTF-16 code units would not).
    expect(ask('v(?x), ?x > "\uFFFD"')).toEqual(['😀']);
    expect(ask('v(?x), ?x < true')).toEqual([]);
    expect(ask('v(?x), ?x = 10')).toEqual([10]);
    expect(ask('v(?x), ?x = "10"')).toEqual(['10']);
    expect(ask('v(?x), ?x != 10').includes(10)).toBe(false);
    expect(ask('v(?x), ?x = 1.0')).toEqual([1]);
    expect(ask('v(?x), ?x = true')).toEqual([true]);
  });
});

describe('solve', () => {
  it('deduplicates answers and answers ground queries with one empty solution', () => {
    const program = parseProgram('e(a, b). e(a, c). p(?x) :- e(?x, ?y).');
    expect(solve(program, parseQuery('p(?x)'))).toEqual({
      solutions: [{ x: 'a' }],
      count: 1,
      truncated: false,
    });
    expect(solve(program, parseQuery('p(a)')).solutions).toEqual([{}]);
    expect(solve(program, parseQuery('p(b)')).solutions).toEqual([]);
  });
});
