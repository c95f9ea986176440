import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clause, Rule } from '../language/ast.js';
import { parseProgram, parseQuery } from '../language/parser.js';
import { engineAnswers, oracleAnswers } from './test-support/oracle-check.js';

const FORMS = {
  left: 'path(?x,?y) :- edge(?x,?y). path(?x,?y) :- path(?x,?z), edge(?z,?y).',
  right: 'path(?x,?y) :- edge(?x,?y). path(?x,?y) :- edge(?x,?z), path(?z,?y).',
  double: 'path(?x,?y) :- edge(?x,?y). path(?x,?y) :- path(?x,?z), path(?z,?y).',
  // Facts of the derived predicate itself, a constant in an exit head, a filter in the step.
  mixed:
    'path(?x,?y) :- edge(?x,?y). path(?x,?y) :- edge(?x,?z), ?z != n3, path(?z,?y). path(n1, n9) :- edge(n0, ?z).',
};

function graphText(seed: number, nodes: number, edges: number): string {
  let s = seed;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % nodes;
  };
  const lines: string[] = [];
  for (let i = 0; i < edges; i++) lines.push(`edge(n${next()}, n${next()}).`);
  lines.push('start(n0). start(n2). path(n5, n7).');
  return lines.join('\n');
}

const rulesOf = (program: readonly Clause[]): Rule[] =>
  program.filter((c): c is Rule => c.kind === 'rule');

describe('recursion on cyclic graphs', () => {
  for (const [form, rules] of Object.entries(FORMS)) {
    it(`${form} recursion terminates with exactly the oracle answers`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.integer({ min: 2, max: 9 }),
          (seed, nodes) => {
            const program = parseProgram(`${graphText(seed, nodes, nodes * 2)}\n${rules}`);
            for (const text of [
              'path(n0, ?y)',
              'path(?x, n1)',
              'path(?x, ?y)',
              'start(?s), path(?s, ?y)',
              'path(n0, n0)',
              'path(?x, ?x)',
            ]) {
              const query = parseQuery(text);
              const expected = oracleAnswers(program, [rulesOf(program)], query);
              expect(engineAnswers(program, query), `${form}: ${text}`).toEqual(expected);
              expect(engineAnswers(program, query, true), `${form} with proofs: ${text}`).toEqual(
                expected,
              );
            }
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('mutual recursion (even/odd paths) matches the oracle', () => {
    const program = parseProgram(`${graphText(7, 7, 12)}
      even(?x, ?x) :- edge(?x, ?y).
      even(?x, ?y) :- odd(?x, ?z), edge(?z, ?y).
      odd(?x, ?y) :- even(?x, ?z), edge(?z, ?y).`);
    for (const text of ['even(n0, ?y)', 'odd(?x, ?y)', 'even(?x, ?y), odd(?x, ?y)']) {
      const query = parseQuery(text);
      expect(engineAnswers(program, query)).toEqual(
        oracleAnswers(program, [rulesOf(program)], query),
      );
    }
  });

  it('a long chain is followed to its end without deep recursion', () => {
    const edges = Array.from({ length: 5000 }, (_, i) => `edge(n${i}, n${i + 1}).`).join('\n');
    for (const rules of [FORMS.left, FORMS.right]) {
      const program = parseProgram(`${edges}\n${rules}`);
      expect(engineAnswers(program, parseQuery('path(n0, ?y)'))).toHaveLength(5000);
    }
  });
});

describe('wide predicates', () => {
  it('bind and filter arguments past the 30 indexed columns', () => {
    const args = (tag: string, last: string): string =>
      [...Array.from({ length: 39 }, (_, i) => `${tag}${i % 3}`), last].join(', ');
    const program = parseProgram(`
      w(${args('a', 'x')}). w(${args('a', 'y')}). w(${args('b', 'x')}).
      k(x).
      hit(?v) :- k(?v), w(${Array.from({ length: 39 }, (_, i) => `?c${i}`).join(', ')}, ?v).`);
    const query = parseQuery(`w(${Array.from({ length: 39 }, (_, i) => `?c${i}`).join(', ')}, x)`);
    expect(engineAnswers(program, query)).toHaveLength(2);
    expect(engineAnswers(program, query, true)).toHaveLength(2);
    expect(engineAnswers(program, parseQuery('hit(?v)'))).toEqual(['["x"]']);
  });
});
