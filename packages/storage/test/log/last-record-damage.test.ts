import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLogError } from '../../src/index.js';
import { makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

/*
 * A torn write leaves a prefix of the frame, so once 4 bytes of it exist the length field is
 * the one written: at least the smallest record and at most MAX_FRAME_BODY. A length outside
 * that range in the last record is damage, never a tear to cut off with a warning.
 */
describe('damaged length field of the last record', () => {
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    dir = await makeTempDir('last-length');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('a length below the smallest possible record is damage, not a torn write', async () => {
    const { log } = await openLog(dir, masterKeys);
    expect(await log.append(payloadOf(1, 40))).toBe(1);
    expect(await log.append(payloadOf(2, 27))).toBe(2); // body = 12 + 37 + 4 + 27 = 80 = 0x50
    await log.close();
    const file = join(dir, 'segment-0000000000000001.wal');
    const bytes = await readFile(file);
    const last = 64 + 8 + (12 + 37 + 4 + 40);
    expect(bytes.readUInt32BE(last)).toBe(0x50);
    bytes[last + 3] = 0x50 ^ 0x40; // one bit: 80 → 16
    await writeFile(file, bytes);

    const outcome = await openLog(dir, masterKeys).then(
      async ({ log: reopened, warnings }) => {
        const result = `opened, lastSequence ${reopened.lastSequence}, warnings ${warnings.map((w) => w.code).join(',')}`;
        await reopened.close();
        return result;
      },
      (error: unknown) => (isLogError(error, 'LOG_CORRUPT') ? 'LOG_CORRUPT' : String(error)),
    );
    expect(outcome).toBe('LOG_CORRUPT');
  });
});
