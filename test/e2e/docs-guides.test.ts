import { describe, expect, test } from 'vitest';
import { openGuideSession, readGuideSteps } from './docs-guide-runner.js';
import { readFencedBlocks, readGuide } from './docs-markdown.js';

// The operator guides under docs/, run as written (see docs-guide-runner.ts for the notation).
// Each guide runs top to bottom in one scratch directory, as a reader would follow it.

const GUIDES = ['security.md', 'tls.md', 'operations.md', 'encryption.md', 'mcp.md'];

for (const guide of GUIDES) {
  const steps = readGuideSteps(readFencedBlocks(await readGuide(guide)), guide);

  describe(`docs/${guide}`, () => {
    test('runs as written', { timeout: 300_000 }, async () => {
      expect(steps.length).toBeGreaterThan(0);
      const problems: string[] = [];
      const session = await openGuideSession((ok, message) => {
        if (!ok) problems.push(message);
      });
      try {
        for (const step of steps) {
          await session.runStep(step);
          // Later steps build on earlier ones: stop at the first failure, with its message.
          expect(problems, `docs/${guide} line ${step.block.line}`).toEqual([]);
        }
      } finally {
        await session.close();
      }
      expect(problems).toEqual([]);
    });
  });
}
