import { readdir as listNames } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isLogError } from '../../src/index.js';
import { fsHooks } from './fs-hooks.js';
import { collect, makeMasterKeys, makeTempDir, openLog, payloadOf, removeDir } from './helpers.js';

vi.mock('node:fs/promises', (original) =>
  import('./fs-hooks.js').then((hooks) => hooks.hookedFsPromises(original)),
);

/*
 * A snapshot deletes the segments it covers while reads may be running: a read of operations
 * that are gone fails with LOG_MISSING_SEGMENT, a read of operations still there is not
 * disturbed. The directory listing is hooked to run the snapshot at the worst moment.
 */
describe('read() and segment deletion by a snapshot', () => {
  let dir: string;
  const masterKeys = makeMasterKeys();
  beforeEach(async () => {
    dir = await makeTempDir('read-snapshot');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('read(1) after a snapshot deleted segments 1.. does not silently start later', async () => {
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 1024 });
    for (let i = 1; i <= 60; i += 1) await log.append(payloadOf(i));
    await log.writeSnapshot(50, [Buffer.from('state')]);
    expect((await listNames(dir)).includes('segment-0000000000000001.wal')).toBe(false);
    // Operations 1.. are gone: asking for them must be an error, not a stream that starts
    // at some later sequence as if nothing were missing.
    const outcome = await collect(log.read(1)).then(
      (ops) => `yielded ${ops.length} operations starting at ${ops[0]?.sequence}`,
      (error: unknown) =>
        isLogError(error, 'LOG_MISSING_SEGMENT') ? 'LOG_MISSING_SEGMENT' : String(error),
    );
    expect(outcome).toBe('LOG_MISSING_SEGMENT');
    await log.close();
  });

  it('a read that needs none of the deleted segments is not failed by their deletion', async () => {
    const { log } = await openLog(dir, masterKeys, { segmentBytes: 1024 });
    for (let i = 1; i <= 60; i += 1) await log.append(payloadOf(i));
    // recover()-style read of the tail; a snapshot at 40 deletes older segments meanwhile
    // (between the directory listing and the header reads).
    fsHooks.afterReaddir = {
      path: /./,
      run: () => log.writeSnapshot(40, [Buffer.from('state')]),
    };
    const outcome = await collect(log.read(55)).then(
      (ops) => ops.map((op) => op.sequence).join(','),
      (error: unknown) => String(error),
    );
    expect(outcome).toBe('55,56,57,58,59,60');
    // The snapshot really ran inside the read and deleted segments it had listed.
    expect(fsHooks.afterReaddir).toBeUndefined();
    expect((await listNames(dir)).includes('segment-0000000000000001.wal')).toBe(false);
    await log.close();
  });
});
