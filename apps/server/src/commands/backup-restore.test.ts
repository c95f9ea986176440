import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openSqlStore } from '@cairn/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDataDir } from './backup.js';
import { restoreDataDir } from './restore.js';
import {
  createFixture,
  type Fixture,
  readDatabase,
  writeDatabase,
} from './test-support/data-dir-fixture.js';
import { verifyDataDir } from './verify.js';

const MARKER = 'plaintext-marker-7f3a9c';
let fixture: Fixture;
let work: Fixture;
let ids: string[];

async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

beforeAll(async () => {
  fixture = await createFixture();
  work = await createFixture();
  const store = await openSqlStore({
    dataDir: fixture.dataDir,
    masterKey: fixture.keys,
    onWarning: () => {},
  });
  try {
    ids = [];
    for (const name of ['default', 'acme']) {
      const row = await store.databases.create({ name, wrappedDataKey: '', kekId: fixture.key.id });
      ids.push(row.id);
      await writeDatabase(fixture.dataDir, row.id, fixture.keys, [
        `${name}-${MARKER}-1`,
        `${name}-${MARKER}-2`,
      ]);
    }
    await store.secrets.put('global', 'smtp', `secret-${MARKER}`);
  } finally {
    await store.close();
  }
}, 120_000);

afterAll(async () => {
  await fixture.remove();
  await work.remove();
});

describe('backupDataDir and restoreDataDir', () => {
  it('backs up databases and the SQL store still encrypted, and restores them into an empty DATA_DIR', async () => {
    const dest = join(work.dataDir, 'backup-1');
    const outcome = await backupDataDir({ dataDir: fixture.dataDir }, { dest });
    expect(outcome.manifest.databases.map((database) => database.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(outcome.manifest.sql.kind).toBe('embedded');
    expect(outcome.lines.at(-1)).toMatch(/master key is not in the backup/);
    for (const file of await listAll(dest)) {
      const bytes = await readFile(file);
      expect(bytes.includes(Buffer.from(MARKER)), file).toBe(false);
    }
    expect((await readdir(work.dataDir)).filter((name) => name.includes('.partial-'))).toEqual([]);

    const target = join(work.dataDir, 'restored');
    const restored = await restoreDataDir({ source: dest, dataDir: target });
    expect(restored.lines[0]).toMatch(/^restored 2 database\(s\)/);
    expect((await verifyDataDir({ dataDir: target, masterKeys: fixture.keys })).ok).toBe(true);
    const acme = ids[1] as string;
    expect(await readDatabase(join(target, 'databases', acme), acme, fixture.keys)).toEqual([
      `acme-${MARKER}-1`,
      `acme-${MARKER}-2`,
    ]);
    const store = await openSqlStore({
      dataDir: target,
      masterKey: fixture.keys,
      onWarning: () => {},
    });
    try {
      expect((await store.databases.list()).map((row) => row.name)).toEqual(['acme', 'default']);
      expect(await store.secrets.get('global', 'smtp')).toBe(`secret-${MARKER}`);
    } finally {
      await store.close();
    }

    // A second restore into the now non-empty directory needs --force.
    await expect(restoreDataDir({ source: dest, dataDir: target })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/is not empty: .*--force/),
    });
    await writeDatabase(target, 'stray', fixture.keys, ['x']);
    const forced = await restoreDataDir({ source: dest, dataDir: target, force: true });
    expect(forced.lines).toContain(
      `left untouched: ${join(target, 'databases', 'stray')} is not in the backup`,
    );
  });

  it('refuses a non-empty destination, a destination inside DATA_DIR, and replaces with force', async () => {
    const dest = join(work.dataDir, 'backup-2');
    await backupDataDir({ dataDir: fixture.dataDir }, { dest });
    await expect(backupDataDir({ dataDir: fixture.dataDir }, { dest })).rejects.toMatchObject({
      kind: 'usage',
    });
    await expect(
      backupDataDir({ dataDir: fixture.dataDir }, { dest: join(fixture.dataDir, 'inside') }),
    ).rejects.toMatchObject({ kind: 'usage', message: expect.stringMatching(/inside DATA_DIR/) });
    const again = await backupDataDir({ dataDir: fixture.dataDir }, { dest, force: true });
    expect(again.manifest.databases).toHaveLength(2);
  });

  it('refuses a damaged backup before changing DATA_DIR', async () => {
    const dest = join(work.dataDir, 'backup-3');
    const outcome = await backupDataDir({ dataDir: fixture.dataDir }, { dest });
    const sql = outcome.manifest.sql;
    if (sql.kind !== 'embedded') throw new Error('expected an embedded SQL copy');
    const victim = sql.files.find((file) => file.bytes > 1000) ?? sql.files[0];
    const path = join(dest, 'sql', victim?.name ?? '');
    const bytes = await readFile(path);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 1;
    await writeFile(path, bytes);
    const target = join(work.dataDir, 'damaged-target');
    await expect(restoreDataDir({ source: dest, dataDir: target })).rejects.toMatchObject({
      kind: 'failure',
      message: expect.stringMatching(/differs from the backup manifest: the backup is damaged/),
    });
    expect(await readdir(join(target, 'databases'))).toEqual([]);
    expect(await stat(join(target, 'sql')).catch(() => undefined)).toBeUndefined();
  });

  it('refuses to restore under a running server and to read a directory that is no backup', async () => {
    const dest = join(work.dataDir, 'backup-4');
    await backupDataDir({ dataDir: fixture.dataDir }, { dest });
    const target = join(work.dataDir, 'busy');
    await restoreDataDir({ source: dest, dataDir: target });
    await writeFile(join(target, 'sql.lock'), `${process.pid}\n`);
    await expect(
      restoreDataDir({ source: dest, dataDir: target, force: true }),
    ).rejects.toMatchObject({
      kind: 'failure',
      message: expect.stringMatching(new RegExp(`pid ${process.pid}.*stop the server`)),
    });
    await rm(join(target, 'sql.lock'));
    await expect(restoreDataDir({ source: work.dataDir, dataDir: target })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/is not a Cairn backup/),
    });
  });

  it('fails while the SQL store is open elsewhere', async () => {
    const store = await openSqlStore({ dataDir: fixture.dataDir, onWarning: () => {} });
    try {
      await expect(
        backupDataDir({ dataDir: fixture.dataDir }, { dest: join(work.dataDir, 'backup-5') }),
      ).rejects.toMatchObject({
        kind: 'failure',
        message: expect.stringMatching(/stop the server/),
      });
    } finally {
      await store.close();
    }
  });
});
