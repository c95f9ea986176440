// Cairn's side of a differential case: `solve` in a fresh knowledge base with no limits, the
// answers reduced to the same comparable set as SWI-Prolog's.
import type { Clause, Query } from '../../src/index.js';
import { printProgram, printQuery, solve } from '../../src/index.js';
import {
  type AnswerSet,
  createAnswerSet,
  diffAnswerSets,
  tuplesFromSolutions,
} from './answer-set.js';
import { queryVariables } from './ast-builders.js';
import type { DifferentialCase, SwiplAnswers } from './swipl-runner.js';

export const NO_LIMITS = {
  maxAnswers: Number.POSITIVE_INFINITY,
  maxDerivedTuples: Number.POSITIVE_INFINITY,
  maxSteps: Number.POSITIVE_INFINITY,
};

export function evaluateWithCairn(program: readonly Clause[], query: Query): AnswerSet {
  const result = solve(program, query, { limits: NO_LIMITS });
  if (result.truncated) throw new Error('Cairn truncated the answers although no limit was set');
  if (result.count !== result.solutions.length) {
    throw new Error(
      `Cairn reported count ${result.count} for ${result.solutions.length} solutions`,
    );
  }
  return createAnswerSet(tuplesFromSolutions(result.solutions, queryVariables(query)));
}

/**
 * '' when Cairn returns exactly SWI-Prolog's answers; otherwise a report with the program (in
 * Cairn syntax), the query and the first differing answers, ready to paste into a bug.
 */
export function differenceFromSwipl(
  testCase: DifferentialCase,
  swipl: SwiplAnswers | undefined,
): string {
  if (swipl === undefined) return `no SWI-Prolog answers for case ${testCase.id}`;
  let cairn: AnswerSet;
  try {
    cairn = evaluateWithCairn(testCase.program, testCase.query);
  } catch (error) {
    return `${describeCase(testCase)}\nCairn threw: ${String(error)}`;
  }
  const { onlyLeft, onlyRight } = diffAnswerSets(cairn, swipl.answers);
  if (onlyLeft.length === 0 && onlyRight.length === 0) return '';
  const columns = swipl.variables.map((name) => `?${name}`).join(', ');
  return [
    describeCase(testCase),
    `columns: (${columns}); Cairn ${cairn.keys.length} answers, SWI-Prolog ${swipl.answers.keys.length}`,
    `only Cairn (${onlyLeft.length}): ${onlyLeft.slice(0, 10).join(' ')}`,
    `only SWI-Prolog (${onlyRight.length}): ${onlyRight.slice(0, 10).join(' ')}`,
  ].join('\n');
}

function describeCase(testCase: DifferentialCase): string {
  const program = printProgram(testCase.program);
  const shown = program.length > 4000 ? `${program.slice(0, 4000)}\n…` : program;
  return `case ${testCase.id}\n${shown}\n?- ${printQuery(testCase.query)}`;
}
