import type { KeyRing } from '@cairn/crypto';
import type { SegmentFile } from './log-directory.js';
import { walkSegmentFiles } from './log-directory.js';
import type { LoggedOperation } from './operation-log.js';
import { openRecordOperations, type RecordCipher } from './record-cipher.js';

export interface RecordSource {
  readonly databaseIdHash: Uint8Array;
  readonly dataKeys: KeyRing;
  readonly cipher: RecordCipher;
}

/** Decrypts operations from `fromSequence` up to `toSequence` (inclusive), in order. */
export async function* readRecords(
  source: RecordSource,
  segments: readonly SegmentFile[],
  fromSequence: number,
  toSequence: number,
): AsyncGenerator<LoggedOperation> {
  if (fromSequence > toSequence) return;
  for await (const { frames } of walkSegmentFiles(segments, source.databaseIdHash, fromSequence)) {
    for (const frame of frames) {
      if (frame.sequence + frame.count <= fromSequence) continue;
      const operations = openRecordOperations(
        source.cipher,
        source.dataKeys,
        source.databaseIdHash,
        frame,
      );
      for (const [index, payload] of operations.entries()) {
        const sequence = frame.sequence + index;
        if (sequence < fromSequence) continue;
        yield { sequence, payload };
        if (sequence >= toSequence) return;
      }
    }
  }
}
