// The oracle itself is checked first: hand-written programs whose answers are known, run
// through the Prolog translation and SWI-Prolog only. If these fail, a Cairn mismatch would
// say nothing about Cairn.
import { beforeAll, expect, it } from 'vitest';
import type { Clause, Query, Value } from '../../src/language/ast.js';
import { createAnswerSet } from '../support/answer-set.js';
import {
  atom,
  compare,
  fact,
  negatedFact,
  negative,
  positive,
  query,
  rule,
} from '../support/ast-builders.js';
import {
  evenOdd,
  sameGeneration,
  transitiveClosure,
  unreachableFrom,
} from '../support/program-families.js';
import { describeWithSwipl } from '../support/swipl-guard.js';
import {
  type DifferentialCase,
  evaluateWithSwipl,
  type SwiplAnswers,
} from '../support/swipl-runner.js';

const cycle: Clause[] = [
  fact('edge', 'a', 'b'),
  fact('edge', 'b', 'c'),
  fact('edge', 'c', 'a'),
  fact('edge', 'c', 'd'),
];
const tree: Clause[] = [
  fact('parent', 'r', 'a'),
  fact('parent', 'r', 'b'),
  fact('parent', 'a', 'c'),
  fact('parent', 'a', 'd'),
  fact('parent', 'b', 'e'),
];
const mixedValues: Clause[] = [
  1,
  2.5,
  10,
  '10',
  'abc',
  'b',
  true,
  'true',
  '\uff01',
  '😀',
  'é',
  'z',
].map((value) => fact('v', value));
const quoting: Clause[] = [
  "it's",
  'back\\slash',
  'line\nbreak',
  'Alice Smith',
  '',
  'ünïcödé ✓',
].map((value) => fact('name', value));

interface KnownCase {
  readonly id: string;
  readonly program: readonly Clause[];
  readonly query: Query;
  readonly expected: ReadonlyArray<readonly Value[]>;
}

const reachAll = ['a', 'b', 'c', 'd'].map((y) => [y]);
const known: KnownCase[] = [
  ...(['left', 'right', 'double'] as const).flatMap((form) => [
    {
      id: `${form} closure from a`,
      program: [...cycle, ...transitiveClosure(form)],
      query: query(positive('path', 'a', '?y')),
      expected: reachAll,
    },
    {
      id: `${form} closure from d`,
      program: [...cycle, ...transitiveClosure(form)],
      query: query(positive('path', 'd', '?y')),
      expected: [],
    },
    {
      id: `${form} closure into d`,
      program: [...cycle, ...transitiveClosure(form)],
      query: query(positive('path', '?x', 'd')),
      expected: [['a'], ['b'], ['c']],
    },
  ]),
  {
    id: 'same generation',
    program: [...tree, ...sameGeneration()],
    query: query(positive('sg', '?x', '?y')),
    expected: [
      ['a', 'b'],
      ['b', 'a'],
      ['c', 'd'],
      ['d', 'c'],
      ['c', 'e'],
      ['e', 'c'],
      ['d', 'e'],
      ['e', 'd'],
    ],
  },
  {
    id: 'negation over a recursive relation',
    program: [fact('edge', 'a', 'b'), fact('edge', 'c', 'd'), ...unreachableFrom('a')],
    query: query(positive('unreachable', '?y')),
    expected: [['a'], ['c'], ['d']],
  },
  {
    id: 'negation in a query',
    program: [...cycle, ...transitiveClosure('right')],
    query: query(positive('edge', '?x', '?y'), negative('path', '?y', 'd')),
    expected: [['c', 'd']],
  },
  {
    id: 'numbers order numerically, never against strings or booleans',
    program: mixedValues,
    query: query(positive('v', '?v'), compare('?v', '<', 3)),
    expected: [[1], [2.5]],
  },
  {
    id: 'strings order by code point',
    program: mixedValues,
    query: query(positive('v', '?v'), compare('?v', '>', 'b')),
    expected: [['true'], ['\uff01'], ['😀'], ['é'], ['z']],
  },
  {
    id: 'code points above the BMP sort after U+FF01',
    program: mixedValues,
    query: query(positive('v', '?v'), compare('?v', '>=', '\uff01')),
    expected: [['\uff01'], ['😀']],
  },
  {
    id: 'equality is type-sensitive and 1 == 1.0',
    program: mixedValues,
    query: query(positive('v', '?v'), compare('?v', '=', 1.0)),
    expected: [[1]],
  },
  {
    id: 'inequality keeps the string "10" apart from 10',
    program: mixedValues,
    query: query(positive('v', '?v'), compare('?v', '!=', 10), compare('?v', '<=', 'abc')),
    expected: [['10'], ['abc']],
  },
  {
    id: 'booleans are not the strings "true"',
    program: mixedValues,
    query: query(positive('v', '?v'), compare('?v', '=', true)),
    expected: [[true]],
  },
  {
    id: 'quoted strings survive the round trip',
    program: quoting,
    query: query(positive('name', '?n')),
    expected: ["it's", 'back\\slash', 'line\nbreak', 'Alice Smith', '', 'ünïcödé ✓'].map((n) => [
      n,
    ]),
  },
  {
    id: 'mutual recursion',
    program: [
      fact('zero', 0),
      fact('succ', 0, 1),
      fact('succ', 1, 2),
      fact('succ', 2, 3),
      ...evenOdd(),
    ],
    query: query(positive('odd', '?n')),
    expected: [[1], [3]],
  },
  {
    id: 'an explicit false removes the earlier fact, a later fact restores it',
    program: [
      fact('p', 'a'),
      fact('p', 'b'),
      negatedFact('p', 'a'),
      negatedFact('p', 'c'),
      fact('p', 'c'),
    ],
    query: query(positive('p', '?x')),
    expected: [['b'], ['c']],
  },
  {
    id: 'a ground query that holds has one empty answer',
    program: cycle,
    query: query(positive('edge', 'a', 'b')),
    expected: [[]],
  },
  {
    id: 'a ground query that fails has none',
    program: cycle,
    query: query(positive('edge', 'b', 'a')),
    expected: [],
  },
  {
    id: 'repeated variables and constants in heads',
    program: [
      ...cycle,
      fact('edge', 'd', 'd'),
      rule(atom('loop', '?x', 'self'), positive('edge', '?x', '?x')),
      rule(atom('undefined_use', '?x'), positive('edge', '?x', '?y'), negative('missing', '?y')),
    ],
    query: query(positive('loop', '?x', '?tag'), positive('undefined_use', '?x')),
    expected: [['d', 'self']],
  },
];

describeWithSwipl('the SWI-Prolog translation on programs with known answers', () => {
  let results: Map<string, SwiplAnswers>;
  beforeAll(async () => {
    const cases: DifferentialCase[] = known.map(({ id, program, query }) => ({
      id,
      program,
      query,
    }));
    results = await evaluateWithSwipl(cases);
  });

  it.each(known)('$id', ({ id, expected }) => {
    expect(results.get(id)?.answers).toEqual(createAnswerSet(expected));
  });
});
