// SWI-Prolog is the oracle of the differential suite. Locally a missing `swipl` skips the
// suite loudly; in CI (CI=true) it fails, so CI can never pass without running it.
import { describe, it } from 'vitest';
import { findSwipl } from './swipl-runner.js';

export const swiplExecutable = findSwipl();
const inContinuousIntegration = process.env.CI === 'true';

export function describeWithSwipl(name: string, body: () => void): void {
  if (swiplExecutable !== undefined) {
    describe(name, body);
    return;
  }
  if (inContinuousIntegration) {
    describe(name, () => {
      it('SWIPL MISSING: CI must run the differential suite', () => {
        throw new Error('swipl is not on PATH; install swi-prolog-nox in the CI image');
      });
    });
    return;
  }
  console.warn(
    `\n*** SWIPL MISSING: skipping "${name}". Install SWI-Prolog (apt-get install swi-prolog-nox) ` +
      'to check Cairn against it. ***\n',
  );
  describe.skip(`SWIPL MISSING: ${name}`, body);
}
