import { open } from 'node:fs/promises';
import type { KeyRing } from '@cairn/crypto';
import { LogError, type StorageWarning } from './errors.js';
import {
  type LogDirectory,
  type SegmentSummary,
  type SnapshotFile,
  scanAllSegments,
} from './log-directory.js';
import { checkSnapshotFile, checkSnapshotHeader } from './snapshot-file.js';

export interface LogState {
  readonly snapshot: SnapshotFile | undefined;
  readonly segments: readonly SegmentSummary[];
  /** Last sequence in the log after any tail truncation (0 when there are no records). */
  readonly logLastSequence: number;
}

export interface LogStateInput {
  readonly directory: LogDirectory;
  readonly databaseIdHash: Uint8Array;
  readonly dataKeys: KeyRing;
  readonly allowOlderSnapshot: boolean;
  readonly onWarning: (warning: StorageWarning) => void;
  /** Cut a torn tail off the newest segment (open does; verify only reports it). */
  readonly repairTail: boolean;
}

/** Picks the newest snapshot (an older one only when allowed and the newest is damaged). */
export async function chooseSnapshot(input: LogStateInput): Promise<SnapshotFile | undefined> {
  const candidates = [...input.directory.snapshots].reverse();
  let firstFailure: unknown;
  for (const snapshot of candidates) {
    try {
      // Full authentication up front only when a fallback is allowed; otherwise a damaged
      // snapshot fails while recover() streams it, which avoids decrypting it twice.
      const expectation = {
        ...snapshot,
        databaseIdHash: input.databaseIdHash,
        dataKeys: input.dataKeys,
      };
      if (input.allowOlderSnapshot) await checkSnapshotFile(expectation);
      else await checkSnapshotHeader(expectation);
      if (firstFailure !== undefined) {
        input.onWarning({
          code: 'SNAPSHOT_FALLBACK',
          message: `Newest snapshot is damaged (${String((firstFailure as Error).message)}); using ${snapshot.name} as allowed by allowOlderSnapshot`,
          file: snapshot.file,
        });
      }
      return snapshot;
    } catch (error) {
      if (!input.allowOlderSnapshot) throw error;
      firstFailure ??= error;
    }
  }
  if (firstFailure !== undefined) throw firstFailure;
  return undefined;
}

/** Checks the structure of every segment and that snapshot + segments cover 1..last. */
export async function readLogState(input: LogStateInput): Promise<LogState> {
  const snapshot = await chooseSnapshot(input);
  const segments = await scanAllSegments(input.directory.segments, input.databaseIdHash);
  const first = segments[0];
  const coveredUpTo = snapshot?.sequence ?? 0;
  if (first !== undefined && first.header.firstSequence > coveredUpTo + 1) {
    throw new LogError(
      'LOG_MISSING_SEGMENT',
      snapshot === undefined
        ? `The log starts at sequence ${first.header.firstSequence} and no snapshot covers the operations before it`
        : `Snapshot covers up to ${coveredUpTo} but the log starts at ${first.header.firstSequence}`,
      { file: first.file, offset: 24 },
    );
  }
  const newest = segments.at(-1);
  if (newest?.tornTail !== undefined && input.repairTail) {
    const { offset, bytes } = newest.tornTail;
    const handle = await open(newest.file, 'r+');
    try {
      await handle.truncate(offset);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    input.onWarning({
      code: 'LOG_TAIL_TRUNCATED',
      message: `Cut ${bytes} bytes of an incomplete record (crash during a write) off ${newest.file} at byte ${offset}`,
      file: newest.file,
      offset,
      bytes,
    });
  }
  return { snapshot, segments, logLastSequence: newest?.lastSequence ?? 0 };
}
