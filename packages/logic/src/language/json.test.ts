import { describe, expect, it } from 'vitest';
import { LogicError } from '../errors.js';
import { factToJson, queryToJson } from './json-form.js';
import { atomFromJson, factFromJson, queryFromJson, ruleFromJson } from './json-read.js';
import { parseFact, parseQuery } from './parser.js';

function errorOf(read: () => unknown): LogicError {
  try {
    read();
  } catch (error) {
    if (error instanceof LogicError) return error;
    throw error;
  }
  throw new Error('expected a LogicError');
}

describe('factFromJson', () => {
  it('reads the documented form and matches the text syntax', () => {
    const fact = factFromJson({
      predicate: 'plan',
      args: ['acme', 'enterprise', 3, true, '?not-a-variable'],
      negated: true,
      confidence: 0.9,
      validFrom: '2026-01-01T00:00:00Z',
      ttlSeconds: 60,
    });
    expect(fact).toEqual(
      parseFact(
        'not plan(acme, enterprise, 3, true, "?not-a-variable") [confidence=0.9, valid_from="2026-01-01T00:00:00Z", ttl=60]',
      ),
    );
    expect(factToJson(fact)).toEqual({
      predicate: 'plan',
      args: ['acme', 'enterprise', 3, true, '?not-a-variable'],
      negated: true,
      confidence: 0.9,
      validFrom: '2026-01-01T00:00:00Z',
      ttlSeconds: 60,
    });
  });

  it('reads -0 as 0, like the text syntax', () => {
    expect(factFromJson({ predicate: 'p', args: [-0], confidence: -0 })).toEqual(
      parseFact('p(-0) [confidence=-0]'),
    );
    expect(
      Object.is(factFromJson({ predicate: 'p', args: [-0], confidence: -0 }).confidence, 0),
    ).toBe(true);
  });

  const cases: Array<[unknown, string, RegExp]> = [
    [null, 'INVALID_JSON', /^at the top level: expected a fact \(an object\); got null/],
    [{ predicate: 'p' }, 'INVALID_JSON', /^at args: a fact needs the field "args"/],
    [{ predicate: 'p', args: [], extra: 1 }, 'INVALID_JSON', /^at extra: unknown field/],
    [
      JSON.parse('{"predicate":"p","args":[],"__proto__":{"negated":true}}'),
      'INVALID_JSON',
      /^at __proto__: unknown field/,
    ],
    [{ predicate: 'not', args: [] }, 'INVALID_JSON', /^at predicate: "not" is a reserved word/],
    [
      { predicate: 'a b', args: [] },
      'INVALID_JSON',
      /^at predicate: predicate name "a b" is not a name/,
    ],
    [
      { predicate: 'p', args: 'a' },
      'INVALID_JSON',
      /^at args: expected an array; got the string "a"/,
    ],
    [
      { predicate: 'p', args: ['a', null] },
      'INVALID_JSON',
      /^at args\[1\]: expected a string, number, boolean or \{"var": name\}; got null/,
    ],
    [
      { predicate: 'p', args: [Number.NaN] },
      'INVALID_JSON',
      /^at args\[0\]: number NaN is not finite/,
    ],
    [
      { predicate: 'p', args: ['\uD800'] },
      'INVALID_JSON',
      /^at args\[0\]: string holds an unpaired UTF-16 surrogate/,
    ],
    [
      { predicate: 'p', args: [{ var: 'x' }] },
      'NOT_GROUND',
      /^at args\[0\]: facts hold constants only/,
    ],
    [
      { predicate: 'p', args: [], negated: 'yes' },
      'INVALID_JSON',
      /^at negated: expected true or false/,
    ],
    [
      { predicate: 'p', args: [], confidence: -0.1 },
      'INVALID_VALUE',
      /^at confidence: confidence must be a number from 0 to 1/,
    ],
    [
      { predicate: 'p', args: [], ttlSeconds: '60' },
      'INVALID_VALUE',
      /^at ttlSeconds: ttl must be a number/,
    ],
    [
      { predicate: 'p', args: [], validFrom: 5 },
      'INVALID_JSON',
      /^at validFrom: expected an ISO-8601 date-time string/,
    ],
    [
      { predicate: 'p', args: [], validUntil: 'tomorrow' },
      'INVALID_VALUE',
      /^at validUntil: "tomorrow" is not an ISO-8601/,
    ],
    [
      { predicate: 'p', args: [], ttlSeconds: 1, validUntil: '2026-01-01T00:00:00Z' },
      'INVALID_VALUE',
      /either ttlSeconds or validUntil/,
    ],
    [
      { predicate: 'p', args: Array.from({ length: 65 }, () => 1) },
      'INVALID_JSON',
      /^at args: holds 65 items; the limit is 64/,
    ],
  ];
  it.each(cases)('%j gives %s', (json, code, message) => {
    const error = errorOf(() => factFromJson(json));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});

describe('queryFromJson and ruleFromJson', () => {
  it('reads variables, negation and comparisons', () => {
    const query = queryFromJson({
      body: [
        { predicate: 'anc', args: ['alice', { var: 'x' }] },
        { predicate: 'dead', args: [{ var: 'x' }], negated: true },
        { compare: '!=', left: { var: 'x' }, right: 'bob' },
      ],
    });
    expect(query).toEqual(parseQuery('anc(alice, ?x), not dead(?x), ?x != bob'));
    expect(queryToJson(query)).toEqual({
      body: [
        { predicate: 'anc', args: ['alice', { var: 'x' }] },
        { predicate: 'dead', args: [{ var: 'x' }], negated: true },
        { compare: '!=', left: { var: 'x' }, right: 'bob' },
      ],
    });
  });

  const cases: Array<[() => unknown, string, RegExp]> = [
    [() => queryFromJson({ body: [] }), 'INVALID_JSON', /^at body: a body needs at least one item/],
    [
      () => queryFromJson({ body: [{ predicate: 'p', args: [] }, 3] }),
      'INVALID_JSON',
      /^at body\[1\]: expected a literal/,
    ],
    [
      () =>
        queryFromJson({
          body: [
            { predicate: 'p', args: [] },
            { predicate: 'q', args: ['a', { var: '?x' }] },
          ],
        }),
      'INVALID_JSON',
      /^at body\[1\]\.args\[1\]\.var: variable name "\?x" is not a name/,
    ],
    [
      () => queryFromJson({ body: [{ compare: '==', left: 1, right: 1 }] }),
      'INVALID_JSON',
      /^at body\[0\]\.compare: expected one of = != < <= > >=/,
    ],
    [
      () => queryFromJson({ body: [{ compare: '=', left: 1 }] }),
      'INVALID_JSON',
      /^at body\[0\]\.right: a comparison needs the field "right"/,
    ],
    [
      () => queryFromJson({ body: [{ compare: '>', left: { var: 'n' }, right: 1 }] }),
      'UNSAFE_RULE',
      /unsafe query: variable \?n/,
    ],
    [
      () =>
        ruleFromJson({
          head: { predicate: 'p', args: [{ var: 'x' }] },
          body: [{ predicate: 'q', args: [] }],
        }),
      'UNSAFE_RULE',
      /\?x of the head p\/1/,
    ],
    [
      () => ruleFromJson({ head: { predicate: 'p', args: [], negated: true }, body: [] }),
      'INVALID_JSON',
      /^at head\.negated: unknown field/,
    ],
    [
      () => atomFromJson({ predicate: 'p', args: [[1]] }),
      'INVALID_JSON',
      /^at args\[0\]: expected a string, number, boolean/,
    ],
    [
      () => atomFromJson({ predicate: 'p', args: [{ var: 'x', extra: 1 }] }),
      'INVALID_JSON',
      /^at args\[0\]\.extra: unknown field in a variable/,
    ],
  ];
  it.each(cases)('case %#: %s', (read, code, message) => {
    const error = errorOf(read);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});

describe('JSON limits', () => {
  it('refuses bodies, names and strings past their limits, naming the path', () => {
    const item = { predicate: 'p', args: [{ var: 'x' }] };
    expect(() =>
      queryFromJson({ body: [item, item, item] }, { limits: { maxBodyItems: 2 } }),
    ).toThrow(/^at body: holds 3 items; the limit is 2 \(limits.maxBodyItems\)/);
    expect(() =>
      atomFromJson({ predicate: 'abcdef', args: [] }, { limits: { maxIdentifierLength: 5 } }),
    ).toThrow(/^at predicate: predicate name is 6 characters long; the limit is 5/);
    expect(() =>
      factFromJson({ predicate: 'p', args: ['ok', 'abcdef'] }, { limits: { maxStringLength: 5 } }),
    ).toThrow(/^at args\[1\]: string is 6 characters long; the limit is 5/);
  });
});
