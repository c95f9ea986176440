// Randomly generated stratified programs (see test/support/random-program.ts): several
// predicates of arity 1-3, recursion and mutual recursion, negation on lower strata only,
// comparisons on number arguments, and queries with some bound arguments. Half of them go
// through the text syntax first (print, then parse), so the parser and printer are checked
// against the same oracle. A failure names the seed: generateRandomProgram(seed) rebuilds it.
import { parseProgram, parseQuery, printProgram, printQuery } from '../../src/index.js';
import { describeDifferential } from '../support/differential-suite.js';
import { generateRandomProgram } from '../support/random-program.js';
import type { DifferentialCase } from '../support/swipl-runner.js';

const SEEDS = Array.from({ length: 250 }, (_, index) => 1_000 + index);

const cases: DifferentialCase[] = SEEDS.flatMap((seed) => {
  const { program, queries } = generateRandomProgram(seed);
  const throughText = seed % 2 === 0;
  return queries.map((query, index) => ({
    id: `seed ${seed} query ${index}${throughText ? ' (via text)' : ''}`,
    program: throughText ? parseProgram(printProgram(program)) : program,
    query: throughText ? parseQuery(printQuery(query)) : query,
  }));
});

describeDifferential('random stratified programs against SWI-Prolog', cases);
