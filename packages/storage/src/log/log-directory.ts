import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LogError } from './errors.js';
import {
  decodeSegmentHeader,
  isHeaderProblem,
  KEY_FILE_NAME,
  parseSegmentFileName,
  parseSnapshotFileName,
  SEGMENT_HEADER_SIZE,
  TEMP_SUFFIX,
} from './format.js';
import { listDirectory } from './fs-durable.js';
import { type ScannedFrame, type SegmentScanEnd, scanSegment } from './segment-scan.js';

export interface SegmentFile {
  readonly name: string;
  readonly file: string;
  readonly segment: number;
}

export interface SnapshotFile {
  readonly name: string;
  readonly file: string;
  readonly sequence: number;
}

export interface LogDirectory {
  readonly segments: readonly SegmentFile[]; // ascending segment number
  readonly snapshots: readonly SnapshotFile[]; // ascending sequence
  readonly tempFiles: readonly string[];
  readonly hasKeyFile: boolean;
}

export async function readLogDirectory(dir: string): Promise<LogDirectory> {
  const names = await listDirectory(dir);
  const segments: SegmentFile[] = [];
  const snapshots: SnapshotFile[] = [];
  const tempFiles: string[] = [];
  for (const name of names) {
    const segment = parseSegmentFileName(name);
    const sequence = parseSnapshotFileName(name);
    if (segment !== undefined) segments.push({ name, file: join(dir, name), segment });
    else if (sequence !== undefined) snapshots.push({ name, file: join(dir, name), sequence });
    else if (name.endsWith(TEMP_SUFFIX)) tempFiles.push(name);
  }
  segments.sort((a, b) => a.segment - b.segment);
  snapshots.sort((a, b) => a.sequence - b.sequence);
  return { segments, snapshots, tempFiles, hasKeyFile: names.includes(KEY_FILE_NAME) };
}

/** Segment numbers must be contiguous: a hole means a lost file, never something to skip. */
export function assertContiguous(segments: readonly SegmentFile[]): void {
  for (let index = 1; index < segments.length; index += 1) {
    const previous = segments[index - 1];
    const current = segments[index];
    if (
      previous !== undefined &&
      current !== undefined &&
      current.segment !== previous.segment + 1
    ) {
      throw new LogError(
        'LOG_MISSING_SEGMENT',
        `Segment ${previous.segment + 1} is missing between ${previous.name} and ${current.name}`,
        { file: current.file, offset: 0 },
      );
    }
  }
}

export interface SegmentSummary extends SegmentScanEnd {
  readonly file: string;
  readonly size: number;
}

export interface SegmentInWalk {
  readonly file: SegmentFile;
  readonly size: number;
  /** The segment's frames; run it to the end before asking for the next segment. */
  readonly frames: Generator<ScannedFrame, SegmentScanEnd>;
}

/**
 * Reads segments in order, checking each one's structure and the sequence continuity between
 * them. Segments that end before `fromSequence` are skipped unread (only their headers are
 * read). Frames come from a synchronous generator per segment: one await per segment, not
 * per record, keeps replay fast.
 */
export async function* walkSegmentFiles(
  segments: readonly SegmentFile[],
  databaseIdHash: Uint8Array,
  fromSequence = 1,
): AsyncGenerator<SegmentInWalk, SegmentSummary[]> {
  assertContiguous(segments);
  const headers = await Promise.all(segments.map((segment) => readFirstSequence(segment)));
  // Segments gone from the front since the listing were deleted by a snapshot that covers
  // them: skip them (a read that needed them finds its first sequence missing). A segment gone
  // after a live one is a hole.
  const firstLive = headers.findIndex((header) => header !== GONE);
  const gone = headers.findIndex((header, index) => index > firstLive && header === GONE);
  if (gone !== -1) throw removedWhileReading(segments[gone] as SegmentFile);
  const start = Math.max(firstLive, 0);
  const live = segments.slice(start);
  // (No GONE is left past `start`: the check above threw.)
  const firstSequences = headers
    .slice(start)
    .map((header) => (header === GONE ? undefined : header));
  const summaries: SegmentSummary[] = [];
  let expectedFirst: number | undefined;
  for (const [index, segment] of live.entries()) {
    const nextFirst = firstSequences[index + 1];
    if (nextFirst !== undefined && nextFirst <= fromSequence) {
      expectedFirst = nextFirst;
      continue;
    }
    const bytes = await whileSegmentExists(segment, () => readFile(segment.file));
    let end: SegmentScanEnd | undefined;
    const scan = scanSegment(bytes, {
      file: segment.file,
      segment: segment.segment,
      databaseIdHash,
      firstSequence: expectedFirst,
      isNewest: index === live.length - 1,
    });
    yield {
      file: segment,
      size: bytes.length,
      frames: (function* () {
        end = yield* scan;
        return end;
      })(),
    };
    if (end === undefined) return summaries; // the consumer stopped inside this segment
    summaries.push({ ...(end as SegmentScanEnd), file: segment.file, size: bytes.length });
    expectedFirst = (end as SegmentScanEnd).lastSequence + 1;
  }
  return summaries;
}

/** Checks every segment's structure and returns one summary per segment. */
export async function scanAllSegments(
  segments: readonly SegmentFile[],
  databaseIdHash: Uint8Array,
): Promise<SegmentSummary[]> {
  const walk = walkSegmentFiles(segments, databaseIdHash);
  let step = await walk.next();
  while (step.done !== true) {
    for (const _frame of step.value.frames);
    step = await walk.next();
  }
  return step.value;
}

/*
 * A segment listed a moment ago and gone now was deleted by a snapshot that covers it (the
 * only thing that deletes segments while the log is open): say so instead of a bare ENOENT.
 */
function removedWhileReading(segment: SegmentFile, cause?: unknown): LogError {
  return new LogError(
    'LOG_MISSING_SEGMENT',
    `Segment ${segment.name} was removed while it was being read, because a newer snapshot covers it; read the snapshot and the operations after it instead`,
    { file: segment.file, offset: 0, cause },
  );
}

async function whileSegmentExists<T>(segment: SegmentFile, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw removedWhileReading(segment, error);
  }
}

const GONE = Symbol('segment deleted since it was listed');

async function readFirstSequence(segment: SegmentFile): Promise<number | undefined | typeof GONE> {
  let handle: FileHandle;
  try {
    handle = await open(segment.file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return GONE;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(SEGMENT_HEADER_SIZE);
    const { bytesRead } = await handle.read(buffer, 0, SEGMENT_HEADER_SIZE, 0);
    const header = decodeSegmentHeader(buffer.subarray(0, bytesRead));
    // A damaged header is reported when the segment itself is scanned.
    return isHeaderProblem(header) ? undefined : header.firstSequence;
  } finally {
    await handle.close();
  }
}
