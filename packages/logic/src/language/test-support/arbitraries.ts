// fast-check arbitraries for valid knowledge-language values, used by the property tests.

import fc from 'fast-check';
import { maxTtlSeconds } from '../annotations.js';
import type {
  Atom,
  BodyItem,
  Comparison,
  ComparisonOperator,
  Constant,
  Fact,
  Literal,
  Query,
  Rule,
  Term,
  Value,
  Variable,
} from '../ast.js';
import { reservedWords } from '../identifiers.js';
import { maxTime, minTime } from '../values.js';

export const nameArbitrary: fc.Arbitrary<string> = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/)
  .filter((name) => !reservedWords.has(name));

export const valueArbitrary: fc.Arbitrary<Value> = fc.oneof(
  nameArbitrary,
  fc.constantFrom('true', 'false', 'not', '', '?x', '1', '-2.5', 'a b', 'é', '"', '\\', '%', '#'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (value === 0 ? 0 : value)),
  fc.boolean(),
);

export const constantArbitrary: fc.Arbitrary<Constant> = valueArbitrary.map((value) => ({
  kind: 'const',
  value,
}));

export const variableArbitrary: fc.Arbitrary<Variable> = fc
  .constantFrom('x', 'y', 'z', 'who', 'n', '_1')
  .map((name) => ({ kind: 'var', name }));

export const termArbitrary: fc.Arbitrary<Term> = fc.oneof(constantArbitrary, variableArbitrary);

const predicateArbitrary = fc.constantFrom('p', 'q', 'parent', 'plan', 'has-role', '_r', 'A1');

export function atomArbitrary(terms: fc.Arbitrary<Term> = termArbitrary): fc.Arbitrary<Atom> {
  return fc.record({ predicate: predicateArbitrary, args: fc.array(terms, { maxLength: 4 }) });
}

const timeArbitrary = fc.oneof(
  fc.integer({ min: minTime, max: maxTime }),
  fc.integer({ min: 0, max: 4_102_444_800 }).map((seconds) => seconds * 1000),
);

export const factArbitrary: fc.Arbitrary<Fact> = fc
  .record(
    {
      atom: atomArbitrary(constantArbitrary),
      negated: fc.boolean(),
      confidence: fc.oneof(fc.constantFrom(0, 1, 0.5), fc.double({ min: 0, max: 1, noNaN: true })),
      validFrom: timeArbitrary,
      validUntil: timeArbitrary,
      ttlSeconds: fc.oneof(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0.001, max: maxTtlSeconds, noNaN: true }),
      ),
    },
    { requiredKeys: ['atom', 'negated'] },
  )
  .map((fields): Fact => {
    const { validFrom, validUntil, ttlSeconds, confidence } = fields;
    const window =
      validFrom !== undefined && validUntil !== undefined && validFrom >= validUntil
        ? {}
        : {
            ...(validFrom === undefined ? {} : { validFrom }),
            ...(validUntil === undefined || ttlSeconds !== undefined ? {} : { validUntil }),
          };
    return {
      kind: 'fact',
      atom: fields.atom,
      negated: fields.negated,
      ...(confidence === undefined ? {} : { confidence: confidence === 0 ? 0 : confidence }),
      ...window,
      ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
    };
  });

const operatorArbitrary = fc.constantFrom<ComparisonOperator>('=', '!=', '<', '<=', '>', '>=');

/** A body whose variables all occur in its first, positive literal: always range-restricted. */
export const bodyArbitrary: fc.Arbitrary<BodyItem[]> = fc
  .tuple(
    atomArbitrary(),
    fc.array(
      fc.oneof(
        atomArbitrary().map((atom): Literal => ({ kind: 'literal', atom, negated: false })),
        atomArbitrary().map((atom): Literal => ({ kind: 'literal', atom, negated: true })),
        fc
          .record({ operator: operatorArbitrary, left: termArbitrary, right: termArbitrary })
          .map((fields): Comparison => ({ kind: 'compare', ...fields })),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([first, rest]) => {
    const binder: Literal = {
      kind: 'literal',
      atom: {
        predicate: first.predicate,
        args: [
          ...first.args,
          ...['x', 'y', 'z', 'who', 'n', '_1'].map((name) => ({ kind: 'var', name }) as const),
        ],
      },
      negated: false,
    };
    return [binder, ...rest];
  });

export const ruleArbitrary: fc.Arbitrary<Rule> = fc
  .record({ head: atomArbitrary(), body: bodyArbitrary })
  .map(({ head, body }) => ({ kind: 'rule', head, body }));

export const queryArbitrary: fc.Arbitrary<Query> = bodyArbitrary.map((body) => ({
  kind: 'query',
  body,
}));
