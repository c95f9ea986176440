import type { KeyRing } from '@cairn/crypto';
import { recordAssociatedData } from './format.js';
import type { SegmentFile } from './log-directory.js';
import { walkSegmentFiles } from './log-directory.js';
import type { LoggedOperation } from './operation-log.js';
import { openRecord, type RecordCipher } from './record-cipher.js';

export interface RecordSource {
  readonly databaseIdHash: Uint8Array;
  readonly dataKeys: KeyRing;
  readonly cipher: RecordCipher;
}

/** Decrypts records from `fromSequence` up to `toSequence` (inclusive), in order. */
export async function* readRecords(
  source: RecordSource,
  segments: readonly SegmentFile[],
  fromSequence: number,
  toSequence: number,
): AsyncGenerator<LoggedOperation> {
  if (fromSequence > toSequence) return;
  for await (const { frames } of walkSegmentFiles(segments, source.databaseIdHash, fromSequence)) {
    for (const frame of frames) {
      if (frame.sequence < fromSequence) continue;
      const associatedData = recordAssociatedData(
        source.databaseIdHash,
        frame.segment,
        frame.sequence,
      );
      const payload = openRecord(source.cipher, source.dataKeys, frame.sealed, associatedData, {
        file: frame.file,
        offset: frame.offset,
      });
      yield { sequence: frame.sequence, payload };
      if (frame.sequence >= toSequence) return;
    }
  }
}
