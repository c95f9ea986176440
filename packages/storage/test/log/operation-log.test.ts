import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLogError, verifyDatabaseLog } from '../../src/index.js';
import { MAX_OPERATION_BYTES, RECORD_TARGET_BYTES } from '../../src/log/format.js';
import {
  collect,
  makeMasterKeys,
  makeTempDir,
  openLog,
  payloadOf,
  removeDir,
  text,
} from './helpers.js';

describe('file operation log', () => {
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    dir = await makeTempDir('oplog');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('starts empty and gives back what was appended, in order', async () => {
    const { log } = await openLog(dir, masterKeys);
    expect(log.lastSequence).toBe(0);
    expect(await log.append(payloadOf(1))).toBe(1);
    expect(await log.append(new Uint8Array())).toBe(2);
    expect(await log.append(payloadOf(3))).toBe(3);
    const read = await collect(log.read());
    expect(read.map((op) => op.sequence)).toEqual([1, 2, 3]);
    expect(text(read[0]?.payload ?? new Uint8Array())).toBe(text(payloadOf(1)));
    expect(read[1]?.payload.length).toBe(0);
    expect((await collect(log.read(3))).map((op) => op.sequence)).toEqual([3]);
    await log.close();
  });

  it('batches concurrent appends and keeps every payload with its sequence', async () => {
    const { log } = await openLog(dir, masterKeys);
    const sequences = await Promise.all(
      Array.from({ length: 500 }, (_, i) => log.append(payloadOf(i))),
    );
    expect(new Set(sequences).size).toBe(500);
    const read = await collect(log.read());
    expect(read).toHaveLength(500);
    for (const [i, sequence] of sequences.entries()) {
      expect(text(read[sequence - 1]?.payload ?? new Uint8Array())).toBe(text(payloadOf(i)));
    }
    await log.close();
  });

  it('seals a group commit as one record and reads from the middle of one', async () => {
    const { log } = await openLog(dir, masterKeys);
    await log.append(payloadOf(0));
    // 300 appends issued together join one group commit: far fewer records than operations.
    await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(payloadOf(i + 1))));
    await log.close();
    const [segment] = (await verifyDatabaseLog(dir, masterKeys)).files.filter(
      (file) => file.kind === 'segment',
    );
    expect(segment?.operations).toBe(301);
    expect(segment?.records).toBeLessThan(10);
    const reopened = await openLog(dir, masterKeys);
    const read = await collect(reopened.log.read(150));
    expect(read.map((op) => op.sequence)).toEqual(Array.from({ length: 152 }, (_, i) => 150 + i));
    expect(text(read[0]?.payload ?? new Uint8Array())).toBe(text(payloadOf(149)));
    await reopened.log.close();
  });

  it('splits a large group commit into records of bounded size', async () => {
    const { log } = await openLog(dir, masterKeys);
    const big = 256 * 1024;
    const count = Math.ceil((3 * RECORD_TARGET_BYTES) / big) + 1;
    await Promise.all(Array.from({ length: count }, (_, i) => log.append(payloadOf(i, big))));
    await log.close();
    const report = await verifyDatabaseLog(dir, masterKeys);
    const [segment] = report.files.filter((file) => file.kind === 'segment');
    expect(segment?.operations).toBe(count);
    expect(segment?.records).toBeGreaterThanOrEqual(Math.ceil((count * big) / RECORD_TARGET_BYTES));
  });

  it('refuses an operation too large for a record without storing anything', async () => {
    const { log } = await openLog(dir, masterKeys);
    await log.append(payloadOf(1));
    const tooLarge = Buffer.allocUnsafe(MAX_OPERATION_BYTES + 1);
    await expect(log.append(tooLarge)).rejects.toSatisfy(
      (e) => isLogError(e, 'LOG_INVALID_ARGUMENT') && /larger than the log accepts/.test(String(e)),
    );
    expect(await log.append(payloadOf(2))).toBe(2);
    await log.close();
  });

  it('logs the bytes passed to append(), whatever the caller does with its buffer after', async () => {
    const { log } = await openLog(dir, masterKeys);
    const buffer = Buffer.from('first operation');
    const first = log.append(buffer);
    buffer.write('second operatio'); // reused for the next operation before the flush
    const second = log.append(buffer);
    await Promise.all([first, second]);
    const ops = await collect(log.read(1));
    expect(ops.map((op) => text(op.payload))).toEqual(['first operation', 'second operatio']);
    await log.close();
  });

  it('a group commit does not overfill a segment: only one operation larger than it may', async () => {
    const segmentBytes = 4096;
    const { log } = await openLog(dir, masterKeys, { segmentBytes });
    // 200 concurrent appends of 100 bytes: ~21 KB of frames, each one far below 4 KiB.
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(payloadOf(i + 1, 100))));
    const huge = await log.append(payloadOf(0, 2 * segmentBytes));
    await log.close();
    const sizes: Record<string, number> = {};
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.wal')))
      sizes[name] = (await stat(join(dir, name))).size;
    const oversized = Object.values(sizes).filter((size) => size > segmentBytes);
    expect(oversized).toHaveLength(1);
    expect(huge).toBe(201);
    const reopened = await openLog(dir, masterKeys, { segmentBytes });
    expect(await collect(reopened.log.read(1))).toHaveLength(201);
    await reopened.log.close();
  });

  it('rolls segments at the size limit and reads across them after a reopen', async () => {
    const first = await openLog(dir, masterKeys, { segmentBytes: 4096 });
    for (let i = 1; i <= 200; i += 1) await first.log.append(payloadOf(i, 40));
    await first.log.close();
    const segments = (await readdir(dir)).filter((name) => name.endsWith('.wal'));
    expect(segments.length).toBeGreaterThan(3);
    const second = await openLog(dir, masterKeys, { segmentBytes: 4096 });
    expect(second.log.lastSequence).toBe(200);
    expect(await second.log.append(payloadOf(201, 40))).toBe(201);
    const read = await collect(second.log.read(150));
    expect(read.map((op) => op.sequence)).toEqual(Array.from({ length: 52 }, (_, i) => 150 + i));
    expect(text(read.at(-1)?.payload ?? new Uint8Array())).toBe(text(payloadOf(201, 40)));
    expect(second.warnings).toEqual([]);
    await second.log.close();
  });

  it('rejects appends after close and bad arguments with typed errors', async () => {
    const { log } = await openLog(dir, masterKeys);
    await log.append(payloadOf(1));
    await expect(log.append('text' as unknown as Uint8Array)).rejects.toSatisfy((e) =>
      isLogError(e, 'LOG_INVALID_ARGUMENT'),
    );
    expect(() => log.read(0)).toThrow(/fromSequence/);
    await expect(log.writeSnapshot(5, [])).rejects.toSatisfy((e) =>
      isLogError(e, 'LOG_INVALID_ARGUMENT'),
    );
    await log.close();
    await expect(log.append(payloadOf(2))).rejects.toSatisfy((e) => isLogError(e, 'LOG_CLOSED'));
    expect(log.lastSequence).toBe(1);
  });

  it('refuses invalid options', async () => {
    await expect(openLog(dir, masterKeys, { segmentBytes: 10 })).rejects.toSatisfy((e) =>
      isLogError(e, 'LOG_INVALID_ARGUMENT'),
    );
    await expect(openLog(dir, masterKeys, { databaseId: '' })).rejects.toSatisfy((e) =>
      isLogError(e, 'LOG_INVALID_ARGUMENT'),
    );
    await expect(
      openLog(dir, masterKeys, { sync: { mode: 'interval', intervalMs: 0 } }),
    ).rejects.toSatisfy((e) => isLogError(e, 'LOG_INVALID_ARGUMENT'));
  });

  it('acknowledges under the interval policy and has everything on disk after close', async () => {
    const first = await openLog(dir, masterKeys, { sync: { mode: 'interval', intervalMs: 5 } });
    await Promise.all(Array.from({ length: 50 }, (_, i) => first.log.append(payloadOf(i))));
    expect(first.log.lastSequence).toBe(50);
    await first.log.close();
    const second = await openLog(dir, masterKeys);
    expect((await collect(second.log.read())).length).toBe(50);
    await second.log.close();
  });

  it('lets one writer at a time open a directory and takes over a lock left by a dead process', async () => {
    const { log } = await openLog(dir, masterKeys);
    await expect(openLog(dir, masterKeys)).rejects.toSatisfy((e) => isLogError(e, 'LOG_LOCKED'));
    await log.close();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(
      join(dir, 'LOCK'),
      JSON.stringify({ pid: dead, hostname: hostname(), since: 'then' }),
    );
    const again = await openLog(dir, masterKeys);
    expect(JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    await again.log.close();
    expect((await readdir(dir)).includes('LOCK')).toBe(false);
  });
});
