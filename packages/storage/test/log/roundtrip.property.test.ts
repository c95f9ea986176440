import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collect, makeMasterKeys, makeTempDir, openLog, removeDir } from './helpers.js';

describe('append / reopen / read round trip', () => {
  const masterKeys = makeMasterKeys();

  it('gives back any payloads in order across segment sizes, reopens and snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 128, max: 2048 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (payloads, segmentBytes, snapshotSeed) => {
          const dir = await makeTempDir('prop');
          try {
            const first = await openLog(dir, masterKeys, { segmentBytes });
            const half = Math.floor(payloads.length / 2);
            for (const payload of payloads.slice(0, half)) await first.log.append(payload);
            await first.log.close();
            const second = await openLog(dir, masterKeys, { segmentBytes });
            await Promise.all(payloads.slice(half).map((payload) => second.log.append(payload)));
            const snapshotAt =
              snapshotSeed === undefined ? 0 : 1 + (snapshotSeed % second.log.lastSequence);
            if (snapshotAt > 0) await second.log.writeSnapshot(snapshotAt, [Buffer.from('s')]);
            const all = await collect(second.log.read(Math.max(1, snapshotAt + 1)));
            await second.log.close();
            // Sequences are assigned in call order, even for appends issued concurrently.
            const expected = payloads.slice(snapshotAt).map((p) => Buffer.from(p).toString('hex'));
            expect(all.map((op) => op.sequence)).toEqual(
              Array.from({ length: payloads.length - snapshotAt }, (_, i) => snapshotAt + 1 + i),
            );
            expect(all.map((op) => Buffer.from(op.payload).toString('hex'))).toEqual(expected);
            expect(second.warnings).toEqual([]);
          } finally {
            await removeDir(dir);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
