import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLogError } from '../../src/index.js';
import { makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

describe('damage in a large newest segment', () => {
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    dir = await makeTempDir('large');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('a grown length field at the start is damage, not a torn tail, and is found quickly', async () => {
    const { log } = await openLog(dir, masterKeys);
    await Promise.all(Array.from({ length: 20_000 }, (_, i) => log.append(payloadOf(i, 200))));
    await log.close();
    const file = join(dir, 'segment-0000000000000001.wal');
    const bytes = await readFile(file);
    expect(bytes.length).toBeGreaterThan(4_000_000);
    bytes.writeUInt32BE(60 * 1024 * 1024, 64); // first frame now claims to run past the end
    await writeFile(file, bytes);
    const failure = await openLog(dir, masterKeys).catch((error: unknown) => error);
    expect(isLogError(failure, 'LOG_CORRUPT')).toBe(true);
    expect((failure as { offset: number }).offset).toBe(64);
  });
});
