// Values at the edges of the language (quoted strings with quotes, backslashes, line breaks and
// astral characters; decimals; 1 written as 1.0; booleans next to the strings "true"/"false")
// and explicit false facts asserted in random order: a later `not p(a)` removes `p(a)`, a
// later `p(a)` restores it, and an explicit false never takes part in inference.
import type { Clause, Value } from '../../src/language/ast.js';
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
import { describeDifferential } from '../support/differential-suite.js';
import { createSeededRandom } from '../support/seeded-random.js';
import type { DifferentialCase } from '../support/swipl-runner.js';

const VALUES: readonly Value[] = [
  "it's",
  'back\\slash',
  'line\nbreak',
  'Alice Smith',
  '😀',
  '\uff01',
  'é',
  1,
  1.0,
  2.5,
  -0.25,
  1e21,
  true,
  false,
  'true',
  'false',
  '1',
];

function casesFor(seed: number): DifferentialCase[] {
  const random = createSeededRandom(seed);
  const program: Clause[] = [];
  for (let count = 0; count < 30; count++) {
    const args = [random.pick(VALUES), random.pick(VALUES)];
    program.push(random.chance(0.3) ? negatedFact('p', ...args) : fact('p', ...args));
  }
  program.push(
    rule(atom('q', '?x'), positive('p', '?x', '?y')),
    rule(atom('q', '?y'), positive('p', '?x', '?y')),
    rule(atom('linked', '?x', '?z'), positive('p', '?x', '?y'), positive('p', '?y', '?z')),
    rule(atom('lonely', '?x'), positive('q', '?x'), negative('p', '?x', '?x')),
  );
  const safe = program;
  const id = `seed ${seed}`;
  return [
    { id: `${id}: stored p`, program: safe, query: query(positive('p', '?x', '?y')) },
    { id: `${id}: q`, program: safe, query: query(positive('q', '?x')) },
    { id: `${id}: linked`, program: safe, query: query(positive('linked', '?x', '?z')) },
    { id: `${id}: lonely`, program: safe, query: query(positive('lonely', '?x')) },
    {
      id: `${id}: q equal to 1.0`,
      program: safe,
      query: query(positive('q', '?x'), compare('?x', '=', 1.0)),
    },
    {
      id: `${id}: q ordered after "b"`,
      program: safe,
      query: query(positive('q', '?x'), compare('?x', '>', 'b')),
    },
    {
      id: `${id}: q not the boolean true`,
      program: safe,
      query: query(positive('q', '?x'), compare('?x', '!=', true)),
    },
  ];
}

describeDifferential(
  'edge values and explicit false facts against SWI-Prolog',
  [1, 2, 3, 4, 5, 6, 7, 8].flatMap(casesFor),
);
