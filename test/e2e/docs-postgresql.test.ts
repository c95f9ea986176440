import { describe, expect, test } from 'vitest';
import { createPostgresDatabase } from '../support/postgres.js';
import { openGuideSession, readGuideSteps } from './docs-guide-runner.js';
import { readFencedBlocks, readGuide } from './docs-markdown.js';

// docs/postgresql.md, run as written on a fresh PostgreSQL database in place of the guide's
// example URL. CI provides TEST_DATABASE_URL; without it the skip says so in its name, so it
// cannot pass for a run.

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const EXAMPLE_URL = 'postgres://cairn:a-long-random-password@db.internal:5432/cairn';

const steps = readGuideSteps(readFencedBlocks(await readGuide('postgresql.md')), 'postgresql.md');

describe('docs/postgresql.md', () => {
  test('shows the example URL the suite replaces', () => {
    expect(steps.some((step) => step.block.body.includes(EXAMPLE_URL))).toBe(true);
  });

  if (ADMIN_URL === undefined) {
    if (process.env.CI === 'true') {
      test('TEST_DATABASE_URL is set in CI', () => {
        expect.fail('CI=true but TEST_DATABASE_URL is unset: docs/postgresql.md cannot run');
      });
    }
    test.skip('POSTGRES MISSING: set TEST_DATABASE_URL to run docs/postgresql.md', () => {});
    return;
  }

  test('runs as written on a fresh PostgreSQL database', { timeout: 300_000 }, async () => {
    const database = await createPostgresDatabase(ADMIN_URL);
    const problems: string[] = [];
    const session = await openGuideSession(
      (ok, message) => {
        if (!ok) problems.push(message);
      },
      { [EXAMPLE_URL]: database.url },
    );
    try {
      for (const step of steps) {
        await session.runStep(step);
        expect(problems, `docs/postgresql.md line ${step.block.line}`).toEqual([]);
      }
    } finally {
      await session.close();
      await database.drop();
    }
  });
});
