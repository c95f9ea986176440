import { LogError } from './errors.js';
import {
  decodeSegmentHeader,
  FRAME_HEAD_SIZE,
  frameChecksum,
  frameSize,
  isHeaderProblem,
  MAX_FRAME_BODY,
  OPERATION_LENGTH_SIZE,
  RECORD_HEAD_SIZE,
  readUint64,
  SEALED_OVERHEAD,
  SEGMENT_HEADER_SIZE,
  type SegmentHeader,
} from './format.js';

/** Smallest body: record head + one empty operation sealed (version, key id, nonce, tag). */
const MIN_FRAME_BODY = frameSize(1, 0) - FRAME_HEAD_SIZE;

/** Most operations a body of this length can hold (each takes at least its length prefix). */
function maxOperations(bodyLength: number): number {
  return Math.floor((bodyLength - RECORD_HEAD_SIZE - SEALED_OVERHEAD) / OPERATION_LENGTH_SIZE);
}

export interface SegmentExpectation {
  readonly file: string;
  readonly segment: number;
  readonly databaseIdHash: Uint8Array;
  /** Sequence the first record must carry; undefined when the segment may start anywhere. */
  readonly firstSequence: number | undefined;
  /** Only the newest segment may end in a torn record (a crash in the middle of a write). */
  readonly isNewest: boolean;
}

export interface ScannedFrame {
  readonly file: string;
  readonly segment: number;
  /** Sequence of the record's first operation. */
  readonly sequence: number;
  /** Operations in the record (sequences `sequence` … `sequence + count - 1`). */
  readonly count: number;
  readonly offset: number;
  /** The sealed payload (a view into the segment bytes). */
  readonly sealed: Uint8Array;
}

export interface SegmentScanEnd {
  readonly header: SegmentHeader;
  readonly records: number;
  readonly operations: number;
  /** Sequence of the last operation, or header.firstSequence - 1 when the segment holds none. */
  readonly lastSequence: number;
  /** Offset just past the last whole record. */
  readonly endOffset: number;
  /** Set when the newest segment ends in a partial record that recovery must cut off. */
  readonly tornTail: { readonly offset: number; readonly bytes: number } | undefined;
}

export function checkSegmentHeader(bytes: Uint8Array, expected: SegmentExpectation): SegmentHeader {
  const { file } = expected;
  const header = decodeSegmentHeader(bytes);
  if (isHeaderProblem(header)) {
    if (header.kind === 'version') {
      throw new LogError(
        'LOG_UNSUPPORTED_VERSION',
        `Segment format version ${header.version} is not supported by this version of Cairn`,
        { file, offset: 8 },
      );
    }
    const why = {
      short: 'the file is shorter than a segment header',
      magic: 'the file does not start with the segment magic "CAIRNWAL"',
      checksum: 'the segment header fails its checksum',
    }[header.kind];
    throw new LogError('LOG_CORRUPT', `Segment header is damaged: ${why}`, { file, offset: 0 });
  }
  if (Buffer.compare(header.databaseIdHash, expected.databaseIdHash) !== 0) {
    throw new LogError('LOG_FOREIGN_FILE', 'Segment belongs to another database', {
      file,
      offset: 32,
    });
  }
  if (header.segment !== expected.segment) {
    throw new LogError(
      'LOG_FOREIGN_FILE',
      `Segment header says segment ${header.segment} but the file name says ${expected.segment}`,
      { file, offset: 16 },
    );
  }
  if (expected.firstSequence !== undefined && header.firstSequence !== expected.firstSequence) {
    throw new LogError(
      'LOG_SEQUENCE_GAP',
      `Segment starts at sequence ${header.firstSequence}, expected ${expected.firstSequence}`,
      { file, offset: 24 },
    );
  }
  return header;
}

/**
 * Walks a segment's frames, checking structure (lengths, checksums, sequence continuity).
 * Authentication is the reader's job: the checksum only tells torn writes from a clean end.
 */
export function* scanSegment(
  bytes: Uint8Array,
  expected: SegmentExpectation,
): Generator<ScannedFrame, SegmentScanEnd> {
  const { file } = expected;
  const header = checkSegmentHeader(bytes, expected);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = SEGMENT_HEADER_SIZE;
  let next = header.firstSequence;
  let records = 0;
  const end = (tornTail?: { offset: number; bytes: number }): SegmentScanEnd => ({
    header,
    records,
    operations: next - header.firstSequence,
    lastSequence: next - 1,
    endOffset: offset,
    tornTail,
  });

  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    const bodyLength = remaining >= 4 ? view.getUint32(offset) : 0;
    const frameEnd = offset + FRAME_HEAD_SIZE + bodyLength;
    const complete =
      remaining >= FRAME_HEAD_SIZE &&
      bodyLength >= MIN_FRAME_BODY &&
      bodyLength <= MAX_FRAME_BODY &&
      frameEnd <= bytes.length;
    const checksumOk =
      complete && view.getUint32(offset + 4) === frameChecksum(bytes.subarray(offset, frameEnd));
    if (!checksumOk) {
      if (expected.isNewest && isTornTail(bytes, offset, bodyLength, complete, next)) {
        return end({ offset, bytes: remaining });
      }
      if (!expected.isNewest && !complete && !hasFrameAfter(bytes, offset, next)) {
        throw new LogError(
          'LOG_TRUNCATED',
          'Segment ends in the middle of a record but is not the newest segment',
          { file, offset },
        );
      }
      throw new LogError('LOG_CORRUPT', 'Record frame fails its length or checksum check', {
        file,
        offset,
      });
    }
    const sequence = readUint64(bytes, offset + FRAME_HEAD_SIZE);
    if (sequence !== next) {
      throw new LogError(
        'LOG_SEQUENCE_GAP',
        `Record carries sequence ${sequence}, expected ${next}`,
        { file, offset: offset + FRAME_HEAD_SIZE },
      );
    }
    const count = view.getUint32(offset + FRAME_HEAD_SIZE + 8);
    if (count < 1 || count > maxOperations(bodyLength)) {
      throw new LogError(
        'LOG_CORRUPT',
        `Record claims ${count} operations, which its length cannot hold`,
        { file, offset: offset + FRAME_HEAD_SIZE + 8 },
      );
    }
    yield {
      file,
      segment: expected.segment,
      sequence,
      count,
      offset,
      sealed: bytes.subarray(offset + FRAME_HEAD_SIZE + RECORD_HEAD_SIZE, frameEnd),
    };
    next += count;
    records += 1;
    offset = frameEnd;
  }
  return end();
}

/*
 * A crash mid-write leaves a prefix of one write (so an incomplete last frame) or, after a
 * power loss on some file systems, a zero-filled tail. A complete frame with a bad checksum is
 * damage, not a tear. An incomplete frame followed by a whole valid frame means the length
 * field itself was damaged in the middle of the file.
 */
function isTornTail(
  bytes: Uint8Array,
  offset: number,
  bodyLength: number,
  complete: boolean,
  next: number,
): boolean {
  if (isAllZero(bytes, offset)) return true;
  // Once its 4 bytes are on disk, a torn frame's length is the one the writer wrote, which is
  // always in range; zero (also what the caller reads with fewer than 4 bytes left) is a
  // zero-filled page or a cut length, anything else out of range is damage, not a tear.
  if (bodyLength !== 0 && (bodyLength < MIN_FRAME_BODY || bodyLength > MAX_FRAME_BODY)) {
    return false;
  }
  return !complete && !hasFrameAfter(bytes, offset, next);
}

function isAllZero(bytes: Uint8Array, from: number): boolean {
  for (let index = from; index < bytes.length; index += 1) if (bytes[index] !== 0) return false;
  return true;
}

/**
 * Is there a whole, later record somewhere after `offset`? A candidate must carry a plausible
 * later sequence number before its checksum is computed, which keeps this linear in the file
 * size even for a large damaged segment.
 */
function hasFrameAfter(bytes: Uint8Array, offset: number, next: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Every operation takes at least its length prefix, so later records start no further on.
  const highestPossible = next + Math.ceil((bytes.length - offset) / OPERATION_LENGTH_SIZE);
  for (
    let start = offset + 1;
    start + FRAME_HEAD_SIZE + MIN_FRAME_BODY <= bytes.length;
    start += 1
  ) {
    const bodyLength = view.getUint32(start);
    if (bodyLength < MIN_FRAME_BODY || bodyLength > MAX_FRAME_BODY) continue;
    const frameEnd = start + FRAME_HEAD_SIZE + bodyLength;
    if (frameEnd > bytes.length) continue;
    const sequence = readUint64(bytes, start + FRAME_HEAD_SIZE);
    if (!(sequence > next && sequence <= highestPossible)) continue;
    if (view.getUint32(start + 4) === frameChecksum(bytes.subarray(start, frameEnd))) return true;
  }
  return false;
}
