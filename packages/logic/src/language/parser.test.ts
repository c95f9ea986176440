import { describe, expect, it } from 'vitest';
import { LogicError, LogicSyntaxError } from '../errors.js';
import { parseFact, parseProgram, parseQuery, parseRule } from './parser.js';

const c = (value: string | number | boolean) => ({ kind: 'const', value }) as const;
const v = (name: string) => ({ kind: 'var', name }) as const;

function syntaxError(parse: () => unknown): LogicSyntaxError {
  try {
    parse();
  } catch (error) {
    if (error instanceof LogicSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a syntax error');
}

function logicError(parse: () => unknown): LogicError {
  try {
    parse();
  } catch (error) {
    if (error instanceof LogicError) return error;
    throw error;
  }
  throw new Error('expected a LogicError');
}

describe('parseProgram', () => {
  it('reads facts and rules, split by lines or dots, with comments', () => {
    const clauses = parseProgram(`parent(alice, bob). parent(bob, "Carol Smith")
% a comment
ancestor(?x, ?z) :- parent(?x, ?y),
  ancestor(?y, ?z).   # another
raining
sunny()`);
    expect(clauses).toEqual([
      { kind: 'fact', atom: { predicate: 'parent', args: [c('alice'), c('bob')] }, negated: false },
      {
        kind: 'fact',
        atom: { predicate: 'parent', args: [c('bob'), c('Carol Smith')] },
        negated: false,
      },
      {
        kind: 'rule',
        head: { predicate: 'ancestor', args: [v('x'), v('z')] },
        body: [
          {
            kind: 'literal',
            atom: { predicate: 'parent', args: [v('x'), v('y')] },
            negated: false,
          },
          {
            kind: 'literal',
            atom: { predicate: 'ancestor', args: [v('y'), v('z')] },
            negated: false,
          },
        ],
      },
      { kind: 'fact', atom: { predicate: 'raining', args: [] }, negated: false },
      { kind: 'fact', atom: { predicate: 'sunny', args: [] }, negated: false },
    ]);
  });

  it('continues a clause over lines inside parentheses and after :- and ,', () => {
    expect(parseProgram('p(?x,\n ?y) :-\n q(?x,\n?y),\n\n r(?y)\ns(a)')).toHaveLength(2);
    // A line break before ":-" ends the complete fact p(?x), which is not ground.
    expect(logicError(() => parseProgram('p(?x)\n :- q(?x)')).code).toBe('NOT_GROUND');
    expect(syntaxError(() => parseProgram('p(a)\n, q(b)')).column).toBe(1);
  });

  it('reads numbers, strings with escapes, booleans and hyphenated names', () => {
    const [fact] = parseProgram(
      'v(-12, 3.14, 1e3, -2.5E-3, "a\\"b\\\\c\\n\\t\\u{1F600}", true, false, acme-corp, _x)',
    );
    expect(fact).toMatchObject({
      atom: {
        args: [
          c(-12),
          c(3.14),
          c(1000),
          c(-0.0025),
          c('a"b\\c\n\t😀'),
          c(true),
          c(false),
          c('acme-corp'),
          c('_x'),
        ],
      },
    });
  });

  it('treats a bare atom and the same quoted string as the same constant', () => {
    expect(parseFact('p(alice)')).toEqual(parseFact('p("alice")'));
    expect(parseFact('p(1)')).toEqual(parseFact('p(1.0)'));
    expect(parseFact('p(-0)')).toEqual(parseFact('p(0)'));
    expect(parseFact('p("true")').atom.args[0]).toEqual(c('true'));
  });

  it('reads fact annotations into milliseconds', () => {
    expect(
      parseFact(
        'not plan(acme, enterprise) [confidence=0.9, valid_from="2026-01-01T00:00:00Z", valid_until="2027-01-01T01:00:00+01:00"]',
      ),
    ).toEqual({
      kind: 'fact',
      atom: { predicate: 'plan', args: [c('acme'), c('enterprise')] },
      negated: true,
      confidence: 0.9,
      validFrom: Date.UTC(2026, 0, 1),
      validUntil: Date.UTC(2027, 0, 1),
    });
    expect(parseFact('p [ttl=3600]')).toMatchObject({ ttlSeconds: 3600 });
  });

  it('accepts a byte order mark and Windows line ends', () => {
    expect(parseProgram('\uFEFFp(a)\r\nq(b)\r\n')).toHaveLength(2);
  });
});

describe('parseQuery', () => {
  it('reads a conjunction with negation and comparisons, with optional ?- and .', () => {
    const expected = {
      kind: 'query',
      body: [
        { kind: 'literal', atom: { predicate: 'anc', args: [c('alice'), v('x')] }, negated: false },
        { kind: 'literal', atom: { predicate: 'dead', args: [v('x')] }, negated: true },
        { kind: 'compare', operator: '!=', left: v('x'), right: c('bob') },
        { kind: 'compare', operator: '<=', left: c(3), right: v('x') },
        { kind: 'compare', operator: '=', left: c('carol'), right: v('x') },
      ],
    };
    const text = 'anc(alice, ?x), not dead(?x), ?x != bob, 3 <= ?x, carol = ?x';
    expect(parseQuery(text)).toEqual(expected);
    expect(parseQuery(`?- ${text}.`)).toEqual(expected);
    expect(
      parseQuery(`?- anc(alice, ?x),\n not dead(?x)\n, ?x != bob, 3 <= ?x, carol = ?x`),
    ).toEqual(expected);
  });
});

describe('errors name line, column and what was expected', () => {
  const cases: Array<[string, string, number, number, string[]]> = [
    ['p(a', 'program', 1, 4, ["','", "')'"]],
    ['p(a) q(b)', 'program', 1, 6, ["'.'", "':-'", "'['", 'end of line']],
    ['p(a).\n  q(b c)', 'program', 2, 7, ["','", "')'"]],
    ['p(a).\nq(b) :- \n\n  r(?x) ?', 'program', 4, 10, ['a variable name']],
    ['p(a, )', 'program', 1, 6, ['a term']],
    ['ok.\n\tp("abc', 'program', 2, 4, ["'\"'"]],
    ['p(a) :- .', 'program', 1, 9, ['a literal', "'not'", 'a comparison']],
    ['p(a) :- q(a), ?x', 'program', 1, 17, ["'='", "'!='", "'<'", "'<='", "'>'", "'>='"]],
    ['p(12abc)', 'program', 1, 3, []],
    ['p(1e400)', 'program', 1, 3, []],
    ['p(a) @', 'program', 1, 6, []],
    ['p("\\q")', 'program', 1, 4, []],
    ['p("\\u{D800}")', 'program', 1, 4, []],
    ['p(not)', 'program', 1, 3, ['a term']],
    ['not(a)', 'program', 1, 4, ['a predicate after not']],
    ['true.', 'program', 1, 1, ['a fact or a rule']],
    [
      'p(a) [weight=2]',
      'program',
      1,
      7,
      ["'confidence'", "'valid_from'", "'valid_until'", "'ttl'"],
    ],
    ['p(a) [ttl="1h"]', 'program', 1, 11, ['a number']],
    ['p(a) [valid_from=2026]', 'program', 1, 18, ['a string']],
    ['?- p(?x)', 'program', 1, 1, []],
    ['p(a) :- not ?x = 1', 'program', 1, 13, ['a predicate']],
    ['p(a).', 'rule', 1, 5, ["':-'"]],
    ['p(a) :- q(a)', 'fact', 1, 6, ["'.'", "'['", 'end of input']],
    ['p(?x) :- q(?x)', 'fact', 1, 7, ["'.'", "'['", 'end of input']],
    ['p(a)..', 'fact', 1, 6, ['end of input']],
    ['p(?x), ', 'query', 1, 8, ['a literal', "'not'", 'a comparison']],
    ['p(a\u0001)', 'program', 1, 4, []],
    ['p("a\u0001")', 'program', 1, 5, []],
    ['p(é)', 'program', 1, 3, []],
    ['p(?)', 'program', 1, 4, ['a variable name']],
  ];
  it.each(cases)('%j (%s) fails at %i:%i', (text, kind, line, column, expected) => {
    const parse = { program: parseProgram, fact: parseFact, rule: parseRule, query: parseQuery }[
      kind
    ];
    const error = syntaxError(() => parse?.(text));
    expect(error.code).toBe('SYNTAX');
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.message).toMatch(new RegExp(`^line ${line}, column ${column}: `));
    expect(error.expected).toEqual(expected);
  });
});

describe('validation errors', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['p(?x).', 'NOT_GROUND', 'program', /line 1, column 1: fact p\/1 holds the variable \?x/],
    ['ok.\np(?x) :- q(?y).', 'UNSAFE_RULE', 'program', /line 2, column 1: .*\?x of the head p\/1/],
    ['p(?x) :- q(?x), not r(?y).', 'UNSAFE_RULE', 'program', /\?y of 'not r\/1'/],
    ['p(?x) :- q(?x), ?z > 1.', 'UNSAFE_RULE', 'program', /\?z of the comparison '>'/],
    ['?x = 1', 'UNSAFE_RULE', 'query', /unsafe query: variable \?x/],
    [
      'p [confidence=1.5]',
      'INVALID_VALUE',
      'fact',
      /column 15: confidence must be a number from 0 to 1; got 1.5/,
    ],
    [
      'p [confidence=0.5, confidence=0.6]',
      'INVALID_VALUE',
      'fact',
      /column 20: confidence is given twice/,
    ],
    ['p [ttl=0]', 'INVALID_VALUE', 'fact', /ttl must be a number of seconds greater than 0/],
    [
      'p [ttl=5, valid_until="2026-01-01T00:00:00Z"]',
      'INVALID_VALUE',
      'fact',
      /either ttl or valid_until/,
    ],
    [
      'p [valid_from="2026-01-01T00:00:00Z", valid_until="2026-01-01T00:00:00Z"]',
      'INVALID_VALUE',
      'fact',
      /valid_from must be earlier than valid_until/,
    ],
    ['p [valid_from="2026-01-01T00:00:00"]', 'INVALID_VALUE', 'fact', /with a timezone/],
    ['p [valid_from="2026-13-01T00:00:00Z"]', 'INVALID_VALUE', 'fact', /month 13/],
    ['p [valid_from="2025-02-29T00:00:00Z"]', 'INVALID_VALUE', 'fact', /day 29/],
    ['p [valid_from="2026-01-01T24:00:00Z"]', 'INVALID_VALUE', 'fact', /time of day/],
  ];
  it.each(cases)('%j gives %s', (text, code, kind, message) => {
    const parse = { program: parseProgram, fact: parseFact, query: parseQuery }[kind];
    const error = logicError(() => parse?.(text));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});

describe('limits', () => {
  it('refuses input, arity, body, names, strings and clause counts past their limits', () => {
    expect(logicError(() => parseProgram('p.', { limits: { maxInputLength: 1 } })).code).toBe(
      'INVALID_VALUE',
    );
    expect(syntaxError(() => parseFact('p(a, b, c)', { limits: { maxArity: 2 } })).column).toBe(9);
    expect(
      syntaxError(() => parseQuery('p, q, r', { limits: { maxBodyItems: 2 } })).message,
    ).toMatch(/at most 2 items/);
    expect(
      syntaxError(() => parseFact('abcdef', { limits: { maxIdentifierLength: 5 } })).message,
    ).toMatch(/limit is 5/);
    expect(
      syntaxError(() => parseFact('p(?abcdef)', { limits: { maxIdentifierLength: 5 } })).message,
    ).toMatch(/limit is 5/);
    expect(
      syntaxError(() => parseFact('p("abcdef")', { limits: { maxStringLength: 5 } })).message,
    ).toMatch(/limit of 5/);
    expect(syntaxError(() => parseProgram('p. q. r.', { limits: { maxClauses: 2 } })).column).toBe(
      7,
    );
    expect(
      parseFact(`p(${Array.from({ length: 64 }, (_, i) => i).join(',')})`).atom.args,
    ).toHaveLength(64);
    expect(() => parseFact(`p(${Array.from({ length: 65 }, (_, i) => i).join(',')})`)).toThrow(
      /at most 64 arguments/,
    );
  });
});

describe('the README example', () => {
  it('parses as documented', () => {
    const clauses = parseProgram(`
  parent(alice, bob).  parent(bob, "Carol Smith")
  ancestor(?x, ?y) :- parent(?x, ?y).
  ancestor(?x, ?z) :- parent(?x, ?y),
                      ancestor(?y, ?z).        % a rule may span lines
  not banned(alice)
  plan(acme, enterprise) [confidence=0.9, valid_from="2026-01-01T00:00:00Z", ttl=3600]
`);
    expect(clauses.map((clause) => clause.kind)).toEqual([
      'fact',
      'fact',
      'rule',
      'rule',
      'fact',
      'fact',
    ]);
    expect(
      parseQuery('?- ancestor(alice, ?who), not banned(?who), ?who != bob.').body,
    ).toHaveLength(3);
    const error = syntaxError(() => parseProgram('p(a, b'));
    expect([error.line, error.column, error.expected]).toEqual([1, 7, ["','", "')'"]]);
  });
});
