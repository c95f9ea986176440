import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backupDatabaseLog,
  isLogError,
  restoreDatabaseLog,
  verifyDatabaseLog,
} from '../../src/index.js';
import { collect, makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

describe('verify, backup and restore', () => {
  let root: string;
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    root = await makeTempDir('backup');
    dir = join(root, 'db');
  });
  afterEach(async () => {
    await removeDir(root);
  });

  async function fill(count: number): Promise<void> {
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 1024 });
    for (let i = 1; i <= count; i += 1) await log.append(payloadOf(i));
    await log.writeSnapshot(Math.floor(count / 2), [Buffer.from('state')]);
    await log.close();
  }

  it('verifies a healthy log and lists every file with its records', async () => {
    await fill(60);
    const report = await verifyDatabaseLog(dir, masterKeys);
    expect(report.ok).toBe(true);
    expect(report.databaseId).toBe('db-test');
    expect(report.snapshotSequence).toBe(30);
    expect(report.lastSequence).toBe(60);
    const segments = report.files.filter((f) => f.kind === 'segment');
    expect(segments.length).toBeGreaterThan(1);
    expect(segments.at(-1)?.lastSequence).toBe(60);
    expect(report.files.every((f) => f.problems.length === 0)).toBe(true);
  });

  it('reports damage with file and offset without changing anything', async () => {
    await fill(60);
    const newest = (await readdir(dir))
      .filter((n) => n.endsWith('.wal'))
      .sort()
      .at(-1) as string;
    const bytes = await readFile(join(dir, newest));
    bytes[70] = (bytes[70] as number) ^ 0xff;
    await writeFile(join(dir, newest), bytes);
    const report = await verifyDatabaseLog(dir, masterKeys);
    expect(report.ok).toBe(false);
    const damaged = report.files.find((f) => f.name === newest);
    expect(damaged?.problems.map((p) => [p.code, p.offset])).toEqual([['LOG_CORRUPT', 64]]);
    expect((await readFile(join(dir, newest))).equals(bytes)).toBe(true);

    const wrongKey = await verifyDatabaseLog(dir, makeMasterKeys());
    expect(wrongKey.ok).toBe(false);
    expect(wrongKey.files.find((f) => f.kind === 'keys')?.problems[0]?.code).toBe('LOG_WRONG_KEY');
  });

  it('backs up and restores without decrypting; restore refuses a non-empty target unless forced', async () => {
    await fill(40);
    const backup = join(root, 'backup');
    const manifest = await backupDatabaseLog(dir, backup);
    expect(manifest.lastSequence).toBe(40);
    expect(manifest.snapshotSequence).toBe(20);
    const target = join(root, 'restored');
    await restoreDatabaseLog(backup, target);
    const { log } = await openLog(target, masterKeys, { segmentBytes: 1024 });
    expect(log.lastSequence).toBe(40);
    expect((await collect((await log.recover()).operations)).length).toBe(20);
    await log.close();

    await expect(restoreDatabaseLog(backup, target)).rejects.toSatisfy((e) =>
      isLogError(e, 'BACKUP_TARGET_NOT_EMPTY'),
    );
    await restoreDatabaseLog(backup, target, { force: true });
    await expect(backupDatabaseLog(dir, backup)).rejects.toSatisfy((e) =>
      isLogError(e, 'BACKUP_TARGET_NOT_EMPTY'),
    );

    const segment = manifest.files.find((f) => f.name.endsWith('.wal'))?.name as string;
    const bytes = await readFile(join(backup, segment));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    await writeFile(join(backup, segment), bytes);
    const fresh = join(root, 'fresh');
    await mkdir(fresh);
    await expect(restoreDatabaseLog(backup, fresh)).rejects.toSatisfy((e) =>
      isLogError(e, 'BACKUP_INVALID'),
    );
    expect(await readdir(fresh)).toEqual([]);
  });

  it('backs up a live log under concurrent appends to a consistent prefix', async () => {
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 2048 });
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 60; i += 1) await log.append(payloadOf(w * 1000 + i));
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const manifest = await backupDatabaseLog(dir, join(root, 'live-backup'));
    await Promise.all(writers);
    const all = await collect(log.read());
    await log.close();
    await restoreDatabaseLog(join(root, 'live-backup'), join(root, 'live-restored'));
    const restored = await openLog(join(root, 'live-restored'), masterKeys, { segmentBytes: 2048 });
    const copy = await collect(restored.log.read());
    expect(copy.length).toBe(manifest.lastSequence);
    expect(copy).toEqual(all.slice(0, copy.length));
    await restored.log.close();
  });
});
