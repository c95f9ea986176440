import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLogError } from '../../src/index.js';
import {
  collect,
  makeMasterKeys,
  makeTempDir,
  openLog,
  payloadOf,
  removeDir,
  text,
} from './helpers.js';

describe('data keys and master keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('keys');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('refuses a wrong master key with LOG_WRONG_KEY naming the key file', async () => {
    const first = await openLog(dir, makeMasterKeys());
    await first.log.append(payloadOf(1));
    await first.log.close();
    const failure = await openLog(dir, makeMasterKeys()).catch((error: unknown) => error);
    expect(isLogError(failure, 'LOG_WRONG_KEY')).toBe(true);
    expect((failure as { file: string }).file).toBe(join(dir, 'keys.json'));
  });

  it('re-wraps data keys under a new master key without touching the segments', async () => {
    const oldMaster = makeMasterKeys();
    const newMaster = generateMasterKey();
    const first = await openLog(dir, oldMaster);
    await first.log.append(payloadOf(1));
    const segment = await readFile(join(dir, 'segment-0000000000000001.wal'));
    await first.log.rewrapKeys(newMaster);
    await first.log.append(payloadOf(2));
    await first.log.close();
    const after = await readFile(join(dir, 'segment-0000000000000001.wal'));
    expect(after.subarray(0, segment.length).equals(segment)).toBe(true);

    const failure = await openLog(dir, oldMaster).catch((error: unknown) => error);
    expect(isLogError(failure, 'LOG_WRONG_KEY')).toBe(true);
    const second = await openLog(dir, createKeyRing(newMaster));
    expect((await collect(second.log.read())).map((op) => text(op.payload))).toEqual([
      text(payloadOf(1)),
      text(payloadOf(2)),
    ]);
    await second.log.close();
  });

  it('rotating the data key starts a new segment with the new key; old records stay readable', async () => {
    const masterKeys = makeMasterKeys();
    const first = await openLog(dir, masterKeys);
    await first.log.append(payloadOf(1));
    await first.log.rotateDataKey();
    await first.log.append(payloadOf(2));
    await first.log.close();
    const segments = (await readdir(dir)).filter((n) => n.endsWith('.wal')).sort();
    expect(segments).toHaveLength(2);
    const keyIds = await Promise.all(
      segments.map(async (name) =>
        (await readFile(join(dir, name))).subarray(48, 56).toString('hex'),
      ),
    );
    expect(keyIds[0]).not.toBe(keyIds[1]);
    const keyFile = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as {
      current: string;
      keys: unknown[];
    };
    expect(keyFile.keys).toHaveLength(2);
    expect(keyFile.current).toBe(keyIds[1]);
    const second = await openLog(dir, masterKeys);
    expect((await collect(second.log.read())).map((op) => op.sequence)).toEqual([1, 2]);
    await second.log.close();
  });

  it("refuses another database's directory", async () => {
    const masterKeys = makeMasterKeys();
    const first = await openLog(dir, masterKeys, { databaseId: 'db-a' });
    await first.log.append(payloadOf(1));
    await first.log.close();
    const failure = await openLog(dir, masterKeys, { databaseId: 'db-b' }).catch(
      (error: unknown) => error,
    );
    expect(isLogError(failure, 'LOG_FOREIGN_FILE')).toBe(true);
  });
});
