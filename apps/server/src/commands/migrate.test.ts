import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSqlStore } from './migrate.js';
import { createFixture, type Fixture } from './test-support/data-dir-fixture.js';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture();
});
afterAll(async () => {
  await fixture.remove();
});

describe('migrateSqlStore', () => {
  it('creates and migrates the embedded store, and is a no-op the second time', async () => {
    const first = await migrateSqlStore({ dataDir: fixture.dataDir });
    expect(first.backend).toBe('pglite');
    expect(first.lines).toEqual([
      `SQL store (embedded PGlite at ${fixture.dataDir}/sql) is at the current schema`,
    ]);
    expect((await stat(join(fixture.dataDir, 'sql'))).isDirectory()).toBe(true);
    expect((await migrateSqlStore({ dataDir: fixture.dataDir })).backend).toBe('pglite');
  }, 120_000);

  it('reports an unusable DATABASE_URL without its password', async () => {
    const failure = migrateSqlStore({
      dataDir: fixture.dataDir,
      databaseUrl: 'postgres://cairn:s3cret-pw@127.0.0.1:1/cairn',
    });
    await expect(failure).rejects.toThrow(/127\.0\.0\.1/);
    await expect(failure).rejects.not.toThrow(/s3cret-pw/);
  }, 30_000);
});
