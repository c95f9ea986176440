import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { mkdir, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLogError, openSqlStore, verifyDatabaseLog } from '../../src/index.js';
import { collect, makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

/*
 * A real full disk: a 1 MiB tmpfs filled by a file, then emptied. Mounting needs root (or
 * passwordless sudo, as CI runners have); elsewhere the suite is skipped with a warning.
 */
function mountCommand(): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  if (process.getuid?.() === 0) return [];
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return ['sudo', '-n'];
  } catch {
    return undefined;
  }
}

function runWith(prefix: string[], args: string[]): void {
  const [command, ...rest] = [...prefix, ...args] as [string, ...string[]];
  execFileSync(command, rest, { stdio: 'pipe', timeout: 15_000 });
}

/** Root in an unprivileged container may still be refused by the kernel: try once. */
function mountWorks(candidate: string[]): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'cairn-mount-probe-'));
  try {
    runWith(candidate, ['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    runWith(candidate, ['umount', probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}

const candidate = mountCommand();
const prefix = candidate !== undefined && mountWorks(candidate) ? candidate : undefined;
if (prefix === undefined) {
  console.warn('\n*** no-space.test.ts skipped: mounting a tmpfs needs root or sudo -n ***\n');
}
const run = (args: string[]) => runWith(prefix ?? [], args);

/** Writes zeros until the file system refuses more; returns the filler's path. */
async function fill(dir: string): Promise<string> {
  const path = join(dir, 'filler');
  const handle = await open(path, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) await handle.write(block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return path;
}

describe.skipIf(prefix === undefined)('a full disk under the operation log and SQL store', () => {
  const masterKeys = makeMasterKeys();
  let mountPoint: string;
  let mounted = false;

  beforeAll(async () => {
    mountPoint = await makeTempDir('no-space');
    const uid = process.getuid?.() ?? 0;
    run(['mount', '-t', 'tmpfs', '-o', `size=1m,mode=0700,uid=${uid}`, 'tmpfs', mountPoint]);
    mounted = true;
  });

  afterAll(async () => {
    // Lazy: a failed test may still hold files open there; the mount must not outlive the run.
    if (mounted) run(['umount', '-l', mountPoint]);
    await removeDir(mountPoint);
  });

  it('refuses writes with LOG_NO_SPACE, keeps the log open and accepts writes once space returns', async () => {
    const dir = join(mountPoint, 'log');
    await mkdir(dir);
    const { log } = await openLog(dir, masterKeys);
    for (let i = 1; i <= 3; i++) expect(await log.append(payloadOf(i))).toBe(i);

    const filler = await fill(mountPoint);
    // Concurrent appends of 32 KiB each: at most what fits in the last page is stored.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => log.append(payloadOf(100 + i, 32_768))),
    );
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const outcome of refused) {
      expect(isLogError(outcome.reason, 'LOG_NO_SPACE')).toBe(true);
      expect(String(outcome.reason.message)).toMatch(/No space left.*Free disk space and retry/);
    }
    const stored = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    expect(log.lastSequence).toBe(3 + stored);
    await expect(log.writeSnapshot(log.lastSequence, [Buffer.alloc(65_536)])).rejects.toThrow(
      /ENOSPC/,
    );
    // Neither the refused records nor the failed snapshot hold space.
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    await rm(filler);
    const next = await log.append(payloadOf(4));
    expect(next).toBe(4 + stored);
    await log.close();

    const report = await verifyDatabaseLog(dir, masterKeys, 'db-test');
    expect(report.ok).toBe(true);
    const reopened = await openLog(dir, masterKeys);
    try {
      const operations = await collect((await reopened.log.recover()).operations);
      expect(operations.map((op) => op.sequence)).toEqual(
        Array.from({ length: next }, (_, i) => i + 1),
      );
      expect(Buffer.from(operations.at(-1)?.payload ?? []).toString()).toBe(
        Buffer.from(payloadOf(4)).toString(),
      );
      // The refused frames were cut off: recovery found no torn tail to warn about.
      expect(reopened.warnings).toEqual([]);
    } finally {
      await reopened.log.close();
    }
  });

  it('refuses a write that needs a new segment on a full disk, then rolls once space returns', async () => {
    const dir = join(mountPoint, 'roll');
    await mkdir(dir);
    // Frames of 561 bytes: three fit a 2 KiB segment, the fourth needs a new one.
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 2048 });
    for (let i = 1; i <= 3; i++) expect(await log.append(payloadOf(i, 500))).toBe(i);

    const filler = await fill(mountPoint);
    await expect(log.append(payloadOf(4, 500))).rejects.toSatisfy((e) =>
      isLogError(e, 'LOG_NO_SPACE'),
    );
    // No half-made segment or temp file is left to clash with later writes.
    expect((await readdir(dir)).filter((name) => /\.wal|\.tmp/.test(name))).toEqual([
      'segment-0000000000000001.wal',
    ]);

    await rm(filler);
    expect(await log.append(payloadOf(4, 500))).toBe(4);
    await log.close();
    const report = await verifyDatabaseLog(dir, masterKeys, 'db-test');
    expect(report.ok).toBe(true);
    expect(report.files.filter((file) => file.kind === 'segment')).toHaveLength(2);
    expect(report.lastSequence).toBe(4);
  });

  it('names a full disk when the embedded SQL store cannot be created, instead of [object Object]', async () => {
    const dataDir = join(mountPoint, 'data');
    await mkdir(dataDir);
    const filler = await fill(mountPoint);
    // Room for the store's lock file, not for the cluster PGlite creates next.
    await truncate(filler, (await stat(filler)).size - 8192);
    try {
      const failure = await openSqlStore({ dataDir }).catch((error: unknown) => error);
      expect(String((failure as Error).message)).toMatch(
        /Cannot open the embedded SQL store .*ENOSPC: no space left on device\. Free disk space/,
      );
      expect(String((failure as Error).message)).not.toMatch(/object Object/);
    } finally {
      await rm(filler);
    }
  });
});
