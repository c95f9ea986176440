// One shape for every differential test file: all cases of the file go to SWI-Prolog in one
// batch before the tests, then each case is one test comparing Cairn's answers with it.
import { beforeAll, expect, it } from 'vitest';
import { differenceFromSwipl } from './cairn-evaluator.js';
import { describeWithSwipl } from './swipl-guard.js';
import { type DifferentialCase, evaluateWithSwipl, type SwiplAnswers } from './swipl-runner.js';

export function describeDifferential(name: string, cases: readonly DifferentialCase[]): void {
  const ids = new Set(cases.map((testCase) => testCase.id));
  if (ids.size !== cases.length) throw new Error(`duplicate case ids in "${name}"`);
  describeWithSwipl(name, () => {
    let swipl: Map<string, SwiplAnswers>;
    beforeAll(async () => {
      swipl = await evaluateWithSwipl(cases, { timeoutMs: 50_000 });
    }, 60_000);

    it.each(cases)('$id', (testCase) => {
      expect(differenceFromSwipl(testCase, swipl.get(testCase.id))).toBe('');
    });
  });
}
