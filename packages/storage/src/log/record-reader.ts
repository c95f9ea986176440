import type { KeyRing } from '@cairn/crypto';
import { LogError } from './errors.js';
import type { SegmentFile } from './log-directory.js';
import { walkSegmentFiles } from './log-directory.js';
import type { LoggedOperation } from './operation-log.js';
import { openRecordOperations, type RecordCipher } from './record-cipher.js';

export interface RecordSource {
  readonly databaseIdHash: Uint8Array;
  readonly dataKeys: KeyRing;
  readonly cipher: RecordCipher;
}

/**
 * Decrypts operations from `fromSequence` up to `toSequence` (inclusive), in order. Operations
 * no longer in the log (a snapshot covers them and deleted their segments) are an error, not
 * a stream that silently starts later.
 */
export async function* readRecords(
  source: RecordSource,
  segments: readonly SegmentFile[],
  fromSequence: number,
  toSequence: number,
): AsyncGenerator<LoggedOperation> {
  if (fromSequence > toSequence) return;
  let next = fromSequence;
  for await (const { frames } of walkSegmentFiles(segments, source.databaseIdHash, fromSequence)) {
    for (const frame of frames) {
      if (frame.sequence + frame.count <= fromSequence) continue;
      if (frame.sequence > next) throw noLongerInLog(next, frame.file);
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
        next = sequence + 1;
        if (sequence >= toSequence) return;
      }
    }
  }
  throw noLongerInLog(next, undefined);
}

function noLongerInLog(sequence: number, file: string | undefined): LogError {
  return new LogError(
    'LOG_MISSING_SEGMENT',
    `Operation ${sequence} is no longer in the log: a snapshot covers it and its segment was deleted; read the snapshot and the operations after it instead`,
    file === undefined ? {} : { file, offset: 0 },
  );
}
