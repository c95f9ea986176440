import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { createFixture, type Fixture, writeDatabase } from './test-support/data-dir-fixture.js';
import { verifyDataDir } from './verify.js';

let fixture: Fixture;
beforeEach(async () => {
  fixture = await createFixture();
});
afterEach(async () => {
  await fixture.remove();
});

describe('verifyDataDir', () => {
  it('reports every database as ok', async () => {
    await writeDatabase(fixture.dataDir, 'alpha', fixture.keys, ['a1', 'a2', 'a3'], 2);
    await writeDatabase(fixture.dataDir, 'beta', fixture.keys, ['b1']);
    const outcome = await verifyDataDir({ dataDir: fixture.dataDir, masterKeys: fixture.keys });
    expect(outcome.ok).toBe(true);
    expect(outcome.reports.map((report) => report.databaseId)).toEqual(['alpha', 'beta']);
    expect(outcome.lines[0]).toMatch(/^ok {3}alpha: .*snapshot at 2, last sequence 3$/);
    expect(outcome.lines.at(-1)).toBe('all 2 database(s) verified');
  });

  it('names the damaged file and offset, and fails', async () => {
    const dir = await writeDatabase(fixture.dataDir, 'alpha', fixture.keys, ['a1', 'a2', 'a3']);
    await writeDatabase(fixture.dataDir, 'beta', fixture.keys, ['b1']);
    const segment = (await readdir(dir)).find((name) => name.endsWith('.wal')) as string;
    const bytes = await readFile(join(dir, segment));
    bytes[100] = (bytes[100] ?? 0) ^ 0x40; // inside the first record's body
    await writeFile(join(dir, segment), bytes);
    const outcome = await verifyDataDir({ dataDir: fixture.dataDir, masterKeys: fixture.keys });
    expect(outcome.ok).toBe(false);
    expect(outcome.lines.join('\n')).toMatch(
      new RegExp(`FAIL alpha[\\s\\S]*error ${segment} at byte \\d+`),
    );
    expect(outcome.lines).toContain(outcome.lines.find((line) => line.startsWith('ok   beta')));
    expect(outcome.lines.at(-1)).toMatch(/^1 of 2 database\(s\) failed verification/);
  });

  it('fails with the wrong master key', async () => {
    await writeDatabase(fixture.dataDir, 'alpha', fixture.keys, ['a1']);
    const outcome = await verifyDataDir({
      dataDir: fixture.dataDir,
      masterKeys: createKeyRing(generateMasterKey()),
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.lines.join('\n')).toMatch(/keys\.json/);
  });

  it('uses the development key in DATA_DIR when none is configured', async () => {
    const { formatKey } = await import('@cairn/crypto');
    await writeDatabase(fixture.dataDir, 'alpha', fixture.keys, ['a1']);
    await writeFile(join(fixture.dataDir, 'master.key'), `${formatKey(fixture.key, 'base64')}\n`);
    expect((await verifyDataDir({ dataDir: fixture.dataDir })).ok).toBe(true);
  });

  it('is a usage error without a master key or without the directory', async () => {
    await expect(verifyDataDir({ dataDir: fixture.dataDir })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^no master key: set ENCRYPTION_KEY/),
    });
    await expect(
      verifyDataDir({ dataDir: join(fixture.dataDir, 'absent'), masterKeys: fixture.keys }),
    ).rejects.toBeInstanceOf(CliError);
  });

  it('says so when there is nothing to verify', async () => {
    const outcome = await verifyDataDir({ dataDir: fixture.dataDir, masterKeys: fixture.keys });
    expect(outcome.ok).toBe(true);
    expect(outcome.lines).toEqual([
      `no databases under ${fixture.dataDir}/databases: nothing to verify`,
    ]);
  });
});
