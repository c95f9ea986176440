import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isLogError } from '../../src/index.js';
import { fsHooks } from './fs-hooks.js';
import { collect, makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

/*
 * A failure other than a full disk stops the log, but part of the batch may already be written
 * and fdatasynced into the current segment: those appends are in the log and must resolve, so
 * their callers do not retry (and duplicate) them. Creating the next segment is made to fail
 * with EMFILE once.
 */
vi.mock('node:fs/promises', (original) =>
  import('./fs-hooks.js').then((hooks) => hooks.hookedFsPromises(original)),
);

describe('a failure in the middle of a group commit', () => {
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    dir = await makeTempDir('mid-batch');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('acknowledges the part already written, refuses the rest and stops the log', async () => {
    // Frames of 211 bytes: two fit a 512-byte segment after its 64-byte header, the third rolls.
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 512 });
    fsHooks.beforeOpen = {
      path: /\.wal\.tmp$/,
      run: () => {
        throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      },
    };
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => log.append(payloadOf(i, 150))));
    expect(outcomes.slice(0, 2)).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'fulfilled', value: 2 },
    ]);
    expect(fsHooks.beforeOpen).toBeUndefined();
    const third = outcomes[2] as PromiseRejectedResult;
    expect(isLogError(third.reason, 'LOG_CLOSED')).toBe(true);
    await expect(log.append(payloadOf(4))).rejects.toSatisfy((e) => isLogError(e, 'LOG_CLOSED'));
    await log.close();

    const reopened = await openLog(dir, masterKeys, { segmentBytes: 512 });
    expect((await collect(reopened.log.read(1))).map((op) => op.sequence)).toEqual([1, 2]);
    expect(await reopened.log.append(payloadOf(3, 150))).toBe(3);
    await reopened.log.close();
  });
});
