import { describe, expect, it } from 'vitest';
import { LogicError, LogicSyntaxError } from '../errors.js';
import type { Clause } from './ast.js';
import { parseFact, parseProgram, parseRule } from './parser.js';

// Clauses the fast path reads, and clauses it must hand to the general parser; parseFact and
// parseRule never take the fast path, so they are the reference.
const lines: ReadonlyArray<readonly [string, () => Clause]> = [
  ['edge(n1, n2).', () => parseFact('edge(n1, n2)')],
  ['p(a,b)', () => parseFact('p(a, b)')],
  ['p( a , -3 , true, false, 0, -0 )', () => parseFact('p(a, -3, true, false, 0, 0)')],
  ['q(1.5, 1e3, -2.5E-3)', () => parseFact('q(1.5, 1000, -0.0025)')],
  ['r("x y", b)', () => parseFact('r("x y", b)')],
  ['not s(a)', () => parseFact('not s(a)')],
  ['s(a) [confidence=0.5]', () => parseFact('s(a) [confidence=0.5]')],
  ['p (a)', () => parseFact('p(a)')],
  ['p(a) % comment', () => parseFact('p(a)')],
  ['anc(?x, ?y) :- parent(?x, ?y).', () => parseRule('anc(?x, ?y) :- parent(?x, ?y)')],
  ['p(a)\r', () => parseFact('p(a)')],
  ['p(123456789012345678)', () => parseFact('p(123456789012345678)')],
  ['z()', () => parseFact('z')],
  ['a-b(c-d, _e, "not")', () => parseFact('a-b(c-d, _e, "not")')],
  ['p(a,\n  b)', () => parseFact('p(a, b)')],
];

function positionOf(parse: () => unknown): { line: number; column: number; message: string } {
  try {
    parse();
  } catch (error) {
    if (error instanceof LogicSyntaxError) {
      return { line: error.line, column: error.column, message: error.message };
    }
    if (error instanceof LogicError) return { line: -1, column: -1, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe('the plain-fact fast path of parseProgram', () => {
  it('reads every mix of plain and other clauses as the general parser does', () => {
    for (const [first, firstClause] of lines) {
      for (const [second, secondClause] of lines) {
        const text = `${first}\n${second}\n\n  ${first}\n\t${second}\n`;
        expect(parseProgram(text), text).toEqual([
          firstClause(),
          secondClause(),
          firstClause(),
          secondClause(),
        ]);
      }
    }
  });

  it('resumes after a general clause ended by a dot on the same line', () => {
    expect(parseProgram('p("a"). q(b).r(c)\ns(1)')).toEqual([
      parseFact('p(a)'),
      parseFact('q(b)'),
      parseFact('r(c)'),
      parseFact('s(1)'),
    ]);
  });

  it('reports errors after plain facts at their own line and column', () => {
    expect(positionOf(() => parseProgram('e(a, b).\ne(c, d)\ne(a b)'))).toEqual({
      line: 3,
      column: 5,
      message: "line 3, column 5: expected ',' or ')' but found 'b'",
    });
    expect(positionOf(() => parseProgram('e(a, b). e(c, d) e(f, g)'))).toMatchObject({
      line: 1,
      column: 18,
    });
    expect(positionOf(() => parseProgram('e(a, b).\n  e(c, ?x).'))).toEqual({
      line: -1,
      column: -1,
      message: expect.stringMatching(/^line 2, column 3: fact e\/2 holds the variable \?x/),
    });
    expect(positionOf(() => parseProgram('e(a, b).\ntrue(a)'))).toMatchObject({
      line: 2,
      column: 1,
    });
    expect(positionOf(() => parseProgram('e(a, not)'))).toMatchObject({ line: 1, column: 6 });
  });

  it('keeps the limits on names, arity and clause count', () => {
    const limits = { maxIdentifierLength: 3, maxStringLength: 4, maxArity: 2, maxClauses: 2 };
    expect(positionOf(() => parseProgram('abcd(a)', { limits }))).toMatchObject({ column: 1 });
    expect(positionOf(() => parseProgram('p(abcde)', { limits }))).toMatchObject({ column: 3 });
    expect(positionOf(() => parseProgram('p(a, b, c)', { limits }))).toMatchObject({
      column: 9,
    });
    expect(positionOf(() => parseProgram('p(a)\np(b)\np(c)', { limits }))).toMatchObject({
      line: 3,
      column: 1,
    });
    expect(parseProgram('abc(abcd, 9999)', { limits })).toEqual([parseFact('abc(abcd, 9999)')]);
  });
});
