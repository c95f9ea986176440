import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fsHooks } from './fs-hooks.js';
import { collect, makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

/*
 * rotateDataKey() can run while the writer is inside a segment roll (its header already names
 * the old key): records must stay sealed with the key their segment's header names, and the
 * rotation still gets a segment of its own. The rename of the new segment is hooked to make
 * the interleaving happen every time.
 */
vi.mock('node:fs/promises', (original) =>
  import('./fs-hooks.js').then((hooks) => hooks.hookedFsPromises(original)),
);

const HEADER = 64;
/** key ids of the records of a segment file (sealed: version(1) ‖ key id(8) at frame + 20). */
function recordKeyIds(bytes: Buffer): string[] {
  const ids: string[] = [];
  let offset = HEADER;
  while (offset + 8 <= bytes.length) {
    const body = bytes.readUInt32BE(offset);
    ids.push(bytes.subarray(offset + 8 + 12 + 1, offset + 8 + 12 + 9).toString('hex'));
    offset += 8 + body;
  }
  return ids;
}

describe('data-key rotation during a segment roll', () => {
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    dir = await makeTempDir('rotate-roll');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('records sealed with the rotated key never sit in a segment labelled with the old key', async () => {
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 512 });
    // Frames of 261 bytes: one per 512-byte segment, so every append of 200 bytes rolls.
    for (let i = 1; i <= 3; i += 1) await log.append(payloadOf(i, 200));
    // Append 4 needs a new segment; rotate the key while that roll renames the new file.
    let rotated: Promise<void> | undefined;
    fsHooks.beforeRename = {
      path: /segment-\d+\.wal$/,
      run: async () => {
        rotated = log.rotateDataKey();
        await rotated;
      },
    };
    expect(await log.append(payloadOf(4, 200))).toBe(4);
    expect(fsHooks.beforeRename).toBeUndefined(); // the rotation really ran inside the roll
    await rotated;
    // rotateDataKey() has resolved: append 5 (small, it would fit segment 4) must go to a
    // segment of the new key.
    expect(await log.append(payloadOf(5, 10))).toBe(5);

    const segments = (await readdir(dir)).filter((n) => n.endsWith('.wal')).sort();
    const mismatches: string[] = [];
    for (const name of segments) {
      const bytes = await readFile(join(dir, name));
      const headerKey = bytes.subarray(48, 56).toString('hex');
      for (const [index, id] of recordKeyIds(bytes).entries()) {
        if (id !== headerKey)
          mismatches.push(`${name} record ${index}: sealed with ${id}, header says ${headerKey}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect((await collect(log.read(1))).map((op) => op.sequence)).toEqual([1, 2, 3, 4, 5]);
    await log.close();
  });
});
