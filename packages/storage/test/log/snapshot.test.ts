import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text as readText } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLogError } from '../../src/index.js';
import { collect, makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

async function* stateChunks(state: string): AsyncIterable<Uint8Array> {
  for (let i = 0; i < state.length; i += 1000) yield Buffer.from(state.slice(i, i + 1000));
}

describe('snapshots', () => {
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    dir = await makeTempDir('snap');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('recovers the newest snapshot plus the operations after it and deletes covered segments', async () => {
    const first = await openLog(dir, masterKeys, { segmentBytes: 4096 });
    for (let i = 1; i <= 150; i += 1) await first.log.append(payloadOf(i, 40));
    const segmentsBefore = (await readdir(dir)).filter((n) => n.endsWith('.wal'));
    const state = 'state;'.repeat(30_000);
    await first.log.writeSnapshot(120, stateChunks(state));
    for (let i = 151; i <= 160; i += 1) await first.log.append(payloadOf(i, 40));
    await first.log.close();
    const segmentsAfter = (await readdir(dir)).filter((n) => n.endsWith('.wal'));
    expect(segmentsAfter.length).toBeLessThan(segmentsBefore.length);

    const second = await openLog(dir, masterKeys, { segmentBytes: 4096 });
    const recovery = await second.log.recover();
    expect(recovery.snapshot?.sequence).toBe(120);
    expect(await readText(recovery.snapshot?.open() ?? Readable.from([]))).toBe(state);
    const operations = await collect(recovery.operations);
    expect(operations.map((op) => op.sequence)).toEqual(
      Array.from({ length: 40 }, (_, i) => 121 + i),
    );
    expect(second.log.lastSequence).toBe(160);
    await second.log.close();
  });

  it('replaces the previous snapshot and accepts an empty state', async () => {
    const { log } = await openLog(dir, masterKeys);
    await log.append(payloadOf(1));
    await log.writeSnapshot(1, stateChunks('one'));
    await log.append(payloadOf(2));
    await log.writeSnapshot(2, stateChunks(''));
    expect((await readdir(dir)).filter((n) => n.endsWith('.snap'))).toEqual([
      'snapshot-00000000000000000002.snap',
    ]);
    const recovery = await log.recover();
    expect(await readText(recovery.snapshot?.open() ?? Readable.from([]))).toBe('');
    expect(await collect(recovery.operations)).toEqual([]);
    await log.close();
  });

  it('reports a damaged newest snapshot while recovering instead of silently using an older one', async () => {
    const first = await openLog(dir, masterKeys);
    for (let i = 1; i <= 6; i += 1) await first.log.append(payloadOf(i));
    await first.log.writeSnapshot(3, stateChunks('at-3'));
    const olderName = 'snapshot-00000000000000000003.snap';
    const older = await readFile(join(dir, olderName));
    await first.log.writeSnapshot(6, stateChunks('at-6'));
    await first.log.close();
    await writeFile(join(dir, olderName), older);
    const newest = join(dir, 'snapshot-00000000000000000006.snap');
    const bytes = await readFile(newest);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0x01;
    await writeFile(newest, bytes);

    const plain = await openLog(dir, masterKeys);
    const damaged = await plain.log.recover();
    expect(damaged.snapshot?.sequence).toBe(6);
    const failure = await readText(damaged.snapshot?.open() ?? Readable.from([])).catch(
      (error: unknown) => error,
    );
    expect(isLogError(failure, 'SNAPSHOT_CORRUPT')).toBe(true);
    expect((failure as { file: string }).file).toBe(newest);
    await plain.log.close();

    const fallback = await openLog(dir, masterKeys, { allowOlderSnapshot: true });
    expect(fallback.warnings.map((w) => w.code)).toEqual(['SNAPSHOT_FALLBACK']);
    const recovery = await fallback.log.recover();
    expect(recovery.snapshot?.sequence).toBe(3);
    expect(await readText(recovery.snapshot?.open() ?? Readable.from([]))).toBe('at-3');
    expect((await collect(recovery.operations)).map((op) => op.sequence)).toEqual([4, 5, 6]);
    await fallback.log.close();
  });

  it('detects a snapshot cut short', async () => {
    const first = await openLog(dir, masterKeys);
    await first.log.append(payloadOf(1));
    await first.log.writeSnapshot(1, stateChunks('x'.repeat(200_000)));
    await first.log.close();
    const file = join(dir, 'snapshot-00000000000000000001.snap');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 100));
    const { log } = await openLog(dir, masterKeys);
    const recovery = await log.recover();
    const failure = await readText(recovery.snapshot?.open() ?? Readable.from([])).catch(
      (error: unknown) => error,
    );
    await log.close();
    expect(isLogError(failure)).toBe(true);
    expect(['SNAPSHOT_TRUNCATED', 'SNAPSHOT_CORRUPT']).toContain(
      (failure as { code: string }).code,
    );
    expect((failure as { file: string }).file).toBe(file);
  });

  it('continues after a snapshot newer than the log (records lost to a power failure under the interval policy)', async () => {
    const first = await openLog(dir, masterKeys, { sync: { mode: 'interval', intervalMs: 1000 } });
    for (let i = 1; i <= 5; i += 1) await first.log.append(payloadOf(i));
    await first.log.writeSnapshot(5, stateChunks('at-5'));
    await first.log.close();
    const segment = join(dir, 'segment-0000000000000001.wal');
    await writeFile(segment, (await readFile(segment)).subarray(0, 64 + 2 * (8 + 8 + 37 + 24)));

    const second = await openLog(dir, masterKeys);
    expect(second.log.lastSequence).toBe(5);
    expect(await second.log.append(payloadOf(6))).toBe(6);
    await second.log.close();
    expect((await readdir(dir)).filter((n) => n.endsWith('.wal'))).toEqual([
      'segment-0000000000000002.wal',
    ]);
    const third = await openLog(dir, masterKeys);
    const recovery = await third.log.recover();
    expect(recovery.snapshot?.sequence).toBe(5);
    expect((await collect(recovery.operations)).map((op) => op.sequence)).toEqual([6]);
    await third.log.close();
  });

  it('a read overtaken by a snapshot that deletes its next segment fails with a typed error', async () => {
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 1024 });
    for (let i = 1; i <= 60; i += 1) await log.append(payloadOf(i));
    const reading = log.read(1)[Symbol.asyncIterator]();
    expect((await reading.next()).value?.sequence).toBe(1);
    await log.writeSnapshot(log.lastSequence, [Buffer.from('state')]);
    const failure = await (async () => {
      for (;;) if ((await reading.next()).done) return undefined;
    })().catch((error: unknown) => error);
    expect(isLogError(failure, 'LOG_MISSING_SEGMENT')).toBe(true);
    expect(String((failure as Error).message)).toMatch(/newer snapshot covers it/);
    await log.close();
  });
});
