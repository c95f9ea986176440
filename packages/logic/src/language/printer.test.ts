import { describe, expect, it } from 'vitest';
import { LogicError } from '../errors.js';
import type { Fact, Rule } from './ast.js';
import { printAtom, printFact, printQuery, printRule, printTerm } from './printer.js';
import { assertFactGround, assertQuerySafe, assertRuleSafe } from './safety.js';

const c = (value: string | number | boolean) => ({ kind: 'const', value }) as const;
const v = (name: string) => ({ kind: 'var', name }) as const;

describe('printer', () => {
  it('quotes only strings that are not plain names', () => {
    expect(
      [
        c('alice'),
        c('acme-corp'),
        c('Alice Smith'),
        c('true'),
        c('not'),
        c(''),
        c('1'),
        c('a.b'),
        c('é'),
      ].map(printTerm),
    ).toEqual([
      'alice',
      'acme-corp',
      '"Alice Smith"',
      '"true"',
      '"not"',
      '""',
      '"1"',
      '"a.b"',
      '"é"',
    ]);
    expect(printTerm(c('a"b\\c\n\t\r\u0001\u007f😀'))).toBe('"a\\"b\\\\c\\n\\t\\r\\u{1}\\u{7f}😀"');
    expect([c(1), c(-2.5), c(1e21), c(5e-324), c(true), v('x')].map(printTerm)).toEqual([
      '1',
      '-2.5',
      '1e+21',
      '5e-324',
      'true',
      '?x',
    ]);
    expect(printAtom({ predicate: 'raining', args: [] })).toBe('raining');
    expect(
      printRule({
        kind: 'rule',
        head: { predicate: 'h', args: [v('x'), c('Big Co')] },
        body: [
          { kind: 'literal', atom: { predicate: 'b', args: [v('x')] }, negated: false },
          { kind: 'literal', atom: { predicate: 'c', args: [v('x')] }, negated: true },
          { kind: 'compare', operator: '!=', left: v('x'), right: c(3) },
        ],
      }),
    ).toBe('h(?x, "Big Co") :- b(?x), not c(?x), ?x != 3.');
  });

  it('prints annotations in a fixed order, times in UTC', () => {
    const fact: Fact = {
      kind: 'fact',
      atom: { predicate: 'p', args: [c('a')] },
      negated: true,
      ttlSeconds: 60,
      validFrom: Date.UTC(2026, 0, 1, 12, 30, 0, 5),
      confidence: 0.25,
    };
    expect(printFact(fact)).toBe(
      'not p(a) [confidence=0.25, valid_from="2026-01-01T12:30:00.005Z", ttl=60].',
    );
  });

  it('refuses values the parser could never produce', () => {
    const refuse = (print: () => string, code: string, message: RegExp): void => {
      try {
        print();
      } catch (error) {
        expect(error).toBeInstanceOf(LogicError);
        expect((error as LogicError).code).toBe(code);
        expect((error as LogicError).message).toMatch(message);
        return;
      }
      throw new Error('expected an error');
    };
    refuse(() => printTerm(c(Number.NaN)), 'INVALID_VALUE', /NaN is not finite/);
    refuse(() => printTerm(c('\uDC00')), 'INVALID_VALUE', /unpaired UTF-16 surrogate/);
    refuse(() => printTerm(v('a b')), 'INVALID_VALUE', /not a name/);
    refuse(() => printAtom({ predicate: 'not', args: [] }), 'INVALID_VALUE', /reserved word/);
    refuse(() => printQuery({ kind: 'query', body: [] }), 'INVALID_VALUE', /at least one item/);
    refuse(
      () => printFact({ kind: 'fact', atom: { predicate: 'p', args: [v('x')] }, negated: false }),
      'NOT_GROUND',
      /\?x/,
    );
    refuse(
      () =>
        printFact({
          kind: 'fact',
          atom: { predicate: 'p', args: [] },
          negated: false,
          validFrom: 1.5,
        }),
      'INVALID_VALUE',
      /validFrom 1.5/,
    );
  });
});

describe('safety checks on values built in code', () => {
  const rule = (head: Rule['head'], body: Rule['body']): Rule => ({ kind: 'rule', head, body });
  const literal = (predicate: string, args: Rule['head']['args'], negated = false) =>
    ({ kind: 'literal', atom: { predicate, args }, negated }) as const;

  it('accepts range-restricted rules and queries', () => {
    expect(() =>
      assertRuleSafe(
        rule({ predicate: 'p', args: [v('x'), c(1)] }, [
          literal('q', [v('x'), v('y')]),
          literal('r', [v('y')], true),
          { kind: 'compare', operator: '<', left: v('y'), right: v('x') },
        ]),
      ),
    ).not.toThrow();
    expect(() =>
      assertQuerySafe({
        kind: 'query',
        body: [literal('q', [v('x')]), literal('r', [c(1)], true)],
      }),
    ).not.toThrow();
    expect(() =>
      assertFactGround({ kind: 'fact', atom: { predicate: 'p', args: [c(1)] }, negated: false }),
    ).not.toThrow();
  });

  it('names the first unbound variable', () => {
    expect(() =>
      assertRuleSafe(rule({ predicate: 'p', args: [v('x')] }, [literal('q', [v('y')], true)])),
    ).toThrow(/unsafe rule: variable \?x of the head p\/1/);
    expect(() =>
      assertRuleSafe(
        rule({ predicate: 'p', args: [] }, [
          literal('q', [v('x')]),
          literal('r', [v('x'), v('z')], true),
        ]),
      ),
    ).toThrow(/\?z of 'not r\/2'/);
    expect(() =>
      assertQuerySafe({
        kind: 'query',
        body: [
          literal('q', [v('x')]),
          { kind: 'compare', operator: '=', left: v('w'), right: v('x') },
        ],
      }),
    ).toThrow(/unsafe query: variable \?w of the comparison '='/);
    expect(() =>
      assertFactGround({
        kind: 'fact',
        atom: { predicate: 'p', args: [c(1), v('k')] },
        negated: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'NOT_GROUND' }));
  });
});
