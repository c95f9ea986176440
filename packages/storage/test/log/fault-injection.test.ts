import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text as readText } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogError, StorageWarning } from '../../src/index.js';
import { isLogError } from '../../src/index.js';
import { encodeFrame, encodeSegmentHeader } from '../../src/log/format.js';
import {
  captureDir,
  collect,
  makeMasterKeys,
  makeTempDir,
  openLog,
  payloadOf,
  removeDir,
  restoreDir,
  text,
} from './helpers.js';

/*
 * A small log: snapshot at 2, then segments 2..4 holding records 3..8 (one operation each, as
 * the appends are awaited one by one), two per segment (every frame 81 bytes, header 64). Each
 * case damages a copy, opens, recovers and reads everything.
 */
const SEGMENT_BYTES = 230;
const HEADER = 64;
const FRAME = 81;
/** Frame head (8) + first sequence (8) + operation count (4). */
const SEALED_AT = 20;
const masterKeys = makeMasterKeys();

type Outcome =
  | { kind: 'error'; error: LogError }
  | { kind: 'ok'; sequences: number[]; payloads: string[]; warnings: StorageWarning[] };

async function attempt(dir: string, keys = masterKeys): Promise<Outcome> {
  let opened: Awaited<ReturnType<typeof openLog>> | undefined;
  try {
    opened = await openLog(dir, keys, { segmentBytes: SEGMENT_BYTES });
    const recovery = await opened.log.recover();
    const state = await readText(recovery.snapshot?.open() ?? Readable.from([]));
    expect(state).toBe('state-at-2');
    const operations = await collect(recovery.operations);
    return {
      kind: 'ok',
      sequences: operations.map((op) => op.sequence),
      payloads: operations.map((op) => text(op.payload)),
      warnings: opened.warnings,
    };
  } catch (error) {
    if (!isLogError(error)) throw error;
    return { kind: 'error', error };
  } finally {
    await opened?.log.close();
  }
}

describe('fault injection', () => {
  let dir: string;
  let otherDir: string;
  let original: Map<string, Buffer>;
  let segments: string[];
  const snapshotName = 'snapshot-00000000000000000002.snap';
  const expectedPayloads = Array.from({ length: 6 }, (_, i) => text(payloadOf(i + 3, 20)));

  beforeAll(async () => {
    dir = await makeTempDir('faults');
    otherDir = await makeTempDir('faults-other');
    for (const [target, databaseId] of [
      [dir, 'db-test'],
      [otherDir, 'db-other'],
    ] as const) {
      const { log } = await openLog(target, masterKeys, {
        segmentBytes: SEGMENT_BYTES,
        databaseId,
      });
      for (let i = 1; i <= 8; i += 1) await log.append(payloadOf(i, 20));
      await log.writeSnapshot(2, [Buffer.from('state-at-2')]);
      await log.close();
    }
    original = await captureDir(dir);
    segments = (await readdir(dir)).filter((name) => name.endsWith('.wal')).sort();
  });
  afterAll(async () => {
    await removeDir(dir);
    await removeDir(otherDir);
  });

  it('reads the undamaged log completely', async () => {
    expect(segments).toHaveLength(3);
    for (const name of segments) expect(original.get(name)?.length).toBe(HEADER + 2 * FRAME);
    const outcome = await attempt(dir);
    expect(outcome).toEqual({
      kind: 'ok',
      sequences: [3, 4, 5, 6, 7, 8],
      payloads: expectedPayloads,
      warnings: [],
    });
  });

  it('flipping any byte of any segment gives a typed error at or before it, or a tail cut with a warning', async () => {
    for (const name of segments) {
      const bytes = original.get(name) as Buffer;
      const file = join(dir, name);
      const isNewest = name === segments.at(-1);
      for (let offset = 0; offset < bytes.length; offset += 1) {
        await restoreDir(dir, original);
        const damaged = Buffer.from(bytes);
        damaged[offset] = (damaged[offset] as number) ^ 0x40;
        await writeFile(file, damaged);
        const outcome = await attempt(dir);
        const where = `${name}@${offset}`;
        if (outcome.kind === 'error') {
          expect(outcome.error.file, where).toBe(file);
          expect(outcome.error.offset, where).toBeLessThanOrEqual(offset);
          continue;
        }
        // Only a grown length field of the very last record can pass for a torn write.
        const lastFrame = HEADER + FRAME;
        expect(isNewest && offset >= lastFrame && offset < lastFrame + 4, where).toBe(true);
        expect(
          outcome.warnings.map((w) => [w.code, w.file, w.offset]),
          where,
        ).toEqual([['LOG_TAIL_TRUNCATED', file, lastFrame]]);
        expect(outcome.payloads, where).toEqual(expectedPayloads.slice(0, 5));
      }
    }
  });

  it('truncating a segment anywhere is a tail cut for the newest and an error for the others', async () => {
    for (const name of segments) {
      const bytes = original.get(name) as Buffer;
      const file = join(dir, name);
      const isNewest = name === segments.at(-1);
      const index = segments.indexOf(name);
      for (let length = 0; length < bytes.length; length += 1) {
        await restoreDir(dir, original);
        await writeFile(file, bytes.subarray(0, length));
        const outcome = await attempt(dir);
        const where = `${name} cut at ${length}`;
        const boundary = length === HEADER || length === HEADER + FRAME;
        if (length < HEADER) {
          expect(outcome.kind === 'error' && outcome.error.code, where).toBe('LOG_CORRUPT');
        } else if (isNewest) {
          expect(outcome.kind, where).toBe('ok');
          if (outcome.kind !== 'ok') continue;
          const kept = length < HEADER + FRAME ? 4 : 5;
          expect(outcome.payloads, where).toEqual(expectedPayloads.slice(0, kept));
          expect(outcome.warnings.length, where).toBe(boundary ? 0 : 1);
        } else if (boundary) {
          expect(outcome.kind === 'error' && outcome.error.code, where).toBe('LOG_SEQUENCE_GAP');
          expect(outcome.kind === 'error' && outcome.error.file, where).toBe(
            join(dir, segments[index + 1] ?? ''),
          );
        } else {
          expect(
            outcome.kind === 'error' && [outcome.error.code, outcome.error.file],
            where,
          ).toEqual(['LOG_TRUNCATED', file]);
        }
      }
    }
  });

  it('flipping or truncating the snapshot anywhere is a typed snapshot error', async () => {
    const bytes = original.get(snapshotName) as Buffer;
    const file = join(dir, snapshotName);
    for (let offset = 0; offset < bytes.length; offset += 1) {
      for (const damaged of [
        Buffer.concat([
          bytes.subarray(0, offset),
          Buffer.from([(bytes[offset] as number) ^ 0x01]),
          bytes.subarray(offset + 1),
        ]),
        bytes.subarray(0, offset),
      ]) {
        await restoreDir(dir, original);
        await writeFile(file, damaged);
        const outcome = await attempt(dir);
        expect(outcome.kind === 'error' && outcome.error.file, `snapshot@${offset}`).toBe(file);
      }
    }
  });

  it('flipping any byte of the key file is refused', async () => {
    const bytes = original.get('keys.json') as Buffer;
    for (let offset = 0; offset < bytes.length; offset += 1) {
      await restoreDir(dir, original);
      const damaged = Buffer.from(bytes);
      damaged[offset] = (damaged[offset] as number) ^ 0x01;
      await writeFile(join(dir, 'keys.json'), damaged);
      const outcome = await attempt(dir);
      expect(outcome.kind === 'error' && outcome.error.file, `keys.json@${offset}`).toBe(
        join(dir, 'keys.json'),
      );
    }
  });

  it('swapped records are a sequence gap; re-labelled swapped records fail authentication', async () => {
    const name = segments[1] as string;
    const file = join(dir, name);
    const bytes = original.get(name) as Buffer;
    const first = bytes.subarray(HEADER, HEADER + FRAME);
    const second = bytes.subarray(HEADER + FRAME);
    await restoreDir(dir, original);
    await writeFile(file, Buffer.concat([bytes.subarray(0, HEADER), second, first]));
    let outcome = await attempt(dir);
    expect(
      outcome.kind === 'error' && [outcome.error.code, outcome.error.file, outcome.error.offset],
    ).toEqual(['LOG_SEQUENCE_GAP', file, HEADER + 8]);
    // An attacker who also rewrites the sequence numbers and checksums still fails the AEAD.
    const relabelled = [
      encodeFrame(5, 1, second.subarray(SEALED_AT)),
      encodeFrame(6, 1, first.subarray(SEALED_AT)),
    ];
    await writeFile(file, Buffer.concat([bytes.subarray(0, HEADER), ...relabelled]));
    outcome = await attempt(dir);
    expect(
      outcome.kind === 'error' && [outcome.error.code, outcome.error.file, outcome.error.offset],
    ).toEqual(['LOG_DECRYPTION_FAILED', file, HEADER]);
  });

  it("a record's operation count rewritten (checksum fixed) is refused", async () => {
    // The newest segment's last record (sequence 8), so no later record shows a sequence gap.
    const name = segments.at(-1) as string;
    const file = join(dir, name);
    const bytes = original.get(name) as Buffer;
    const at = HEADER + FRAME;
    const sealed = bytes.subarray(at + SEALED_AT, at + FRAME);
    // Claiming more operations than a record of this length can hold is structural damage;
    // any other count fails authentication, as the count is bound into the associated data.
    for (const [count, code, offset] of [
      [2, 'LOG_DECRYPTION_FAILED', at],
      [1000, 'LOG_CORRUPT', at + 16],
      [0, 'LOG_CORRUPT', at + 16],
    ] as const) {
      await restoreDir(dir, original);
      await writeFile(file, Buffer.concat([bytes.subarray(0, at), encodeFrame(8, count, sealed)]));
      const outcome = await attempt(dir);
      expect(
        outcome.kind === 'error' && [outcome.error.code, outcome.error.file, outcome.error.offset],
        `count ${count}`,
      ).toEqual([code, file, offset]);
    }
  });

  it('a segment of the pre-release format version 1 is refused by version', async () => {
    const name = segments[0] as string;
    const bytes = Buffer.from(original.get(name) as Buffer);
    const header = encodeSegmentHeader({
      segment: bytes.readUInt32BE(20),
      firstSequence: bytes.readUInt32BE(28),
      databaseIdHash: bytes.subarray(32, 48),
      dataKeyId: bytes.subarray(48, 56).toString('hex'),
    });
    header.writeUInt16BE(1, 8);
    const { crc32 } = await import('node:zlib');
    header.writeUInt32BE(crc32(header.subarray(0, 60)), 60);
    await restoreDir(dir, original);
    await writeFile(join(dir, name), Buffer.concat([header, bytes.subarray(HEADER)]));
    const outcome = await attempt(dir);
    expect(
      outcome.kind === 'error' && [outcome.error.code, outcome.error.file, outcome.error.offset],
    ).toEqual(['LOG_UNSUPPORTED_VERSION', join(dir, name), 8]);
  });

  it('a record moved into another segment fails authentication', async () => {
    const from = original.get(segments[2] as string) as Buffer;
    const target = segments[1] as string;
    const bytes = original.get(target) as Buffer;
    const moved = encodeFrame(5, 1, from.subarray(HEADER + SEALED_AT, HEADER + FRAME));
    await restoreDir(dir, original);
    await writeFile(
      join(dir, target),
      Buffer.concat([bytes.subarray(0, HEADER), moved, bytes.subarray(HEADER + FRAME)]),
    );
    const outcome = await attempt(dir);
    expect(
      outcome.kind === 'error' && [outcome.error.code, outcome.error.file, outcome.error.offset],
    ).toEqual(['LOG_DECRYPTION_FAILED', join(dir, target), HEADER]);
  });

  it("another database's files are refused (same master key)", async () => {
    for (const name of [segments[1] as string, snapshotName, 'keys.json']) {
      await restoreDir(dir, original);
      await writeFile(join(dir, name), await readFile(join(otherDir, name)));
      const outcome = await attempt(dir);
      expect(outcome.kind === 'error' && [outcome.error.code, outcome.error.file], name).toEqual([
        'LOG_FOREIGN_FILE',
        join(dir, name),
      ]);
    }
  });

  it('a missing middle segment stops recovery', async () => {
    await restoreDir(dir, original);
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, segments[1] as string));
    const outcome = await attempt(dir);
    expect(outcome.kind === 'error' && [outcome.error.code, outcome.error.file]).toEqual([
      'LOG_MISSING_SEGMENT',
      join(dir, segments[2] as string),
    ]);
  });

  it('the wrong master key is refused', async () => {
    await restoreDir(dir, original);
    const outcome = await attempt(dir, makeMasterKeys());
    expect(outcome.kind === 'error' && [outcome.error.code, outcome.error.file]).toEqual([
      'LOG_WRONG_KEY',
      join(dir, 'keys.json'),
    ]);
  });
});
