// Comparisons: numbers (integers and decimals, 1 == 1.0), strings by code point, booleans, and
// mixed kinds (always false), inside rules, across joins, and in queries.
import type { Clause, ComparisonOperator, Value } from '../../src/language/ast.js';
import { atom, compare, fact, positive, query, rule } from '../support/ast-builders.js';
import { describeDifferential } from '../support/differential-suite.js';
import { createSeededRandom } from '../support/seeded-random.js';
import type { DifferentialCase } from '../support/swipl-runner.js';

const OPERATORS: readonly ComparisonOperator[] = ['=', '!=', '<', '<=', '>', '>='];
const VALUES: readonly Value[] = [
  -2,
  0,
  1,
  1.5,
  2,
  3,
  10,
  0.1,
  '1',
  '10',
  'a',
  'B',
  'b',
  'ab',
  'é',
  '😀',
  '\uff01',
  '',
  true,
  false,
  'true',
];

function scores(seed: number): Clause[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: 14 }, (_, index) =>
    fact('score', `p${index % 9}`, random.pick(VALUES), random.integer(-3, 6)),
  );
}

function casesFor(seed: number): DifferentialCase[] {
  const random = createSeededRandom(seed * 31);
  const program: Clause[] = [
    ...scores(seed),
    // 1 is written as 1.0 here: the same number.
    fact('threshold', 1.0),
    fact('threshold', 'b'),
    rule(
      atom('above', '?p', '?v'),
      positive('score', '?p', '?v', '?n'),
      positive('threshold', '?t'),
      compare('?v', '>', '?t'),
    ),
    rule(
      atom('better', '?a', '?b'),
      positive('score', '?a', '?x', '?i'),
      positive('score', '?b', '?y', '?j'),
      compare('?i', '>', '?j'),
      compare('?a', '!=', '?b'),
    ),
    rule(atom('rank', '?a', '?b'), positive('better', '?a', '?b')),
    rule(
      atom('rank', '?a', '?c'),
      positive('rank', '?a', '?b'),
      positive('better', '?b', '?c'),
      compare('?a', '<', '?c'),
    ),
    rule(
      atom('same_value', '?a', '?b'),
      positive('score', '?a', '?v', '?i'),
      positive('score', '?b', '?w', '?j'),
      compare('?v', '=', '?w'),
    ),
  ];
  const operator = (): ComparisonOperator => random.pick(OPERATORS);
  const constant = (): Value => random.pick(VALUES);
  const id = `seed ${seed}`;
  return [
    { id: `${id}: above threshold`, program, query: query(positive('above', '?p', '?v')) },
    { id: `${id}: better`, program, query: query(positive('better', '?a', '?b')) },
    { id: `${id}: rank (recursive, ordered)`, program, query: query(positive('rank', '?a', '?b')) },
    { id: `${id}: same value`, program, query: query(positive('same_value', '?a', '?b')) },
    ...Array.from({ length: 6 }, (_, index) => {
      const [op, value] = [operator(), constant()];
      return {
        id: `${id}: value ${op} ${JSON.stringify(value)} (#${index})`,
        program,
        query: query(positive('score', '?p', '?v', '?n'), compare('?v', op, value)),
      };
    }),
    ...Array.from({ length: 4 }, (_, index) => {
      const [op, other] = [operator(), operator()];
      return {
        id: `${id}: pairs ${op} and ${other} (#${index})`,
        program,
        query: query(
          positive('score', '?p', '?v', '?n'),
          positive('score', '?q', '?w', '?m'),
          compare('?v', op, '?w'),
          compare('?n', other, '?m'),
        ),
      };
    }),
  ];
}

describeDifferential('comparisons against SWI-Prolog', [1, 2, 3, 4, 5, 6].flatMap(casesFor));
