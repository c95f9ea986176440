import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/*
 * On-disk format of the operation log (segment format version 2). All integers are big-endian.
 *
 * Segment header (64 bytes):
 *   0  8  magic "CAIRNWAL"
 *   8  2  format version (2)
 *  10  2  header size (64)
 *  12  4  reserved (0)
 *  16  8  segment number (1, 2, …; matches the file name)
 *  24  8  sequence of the first record written to this segment
 *  32 16  database id hash: first 16 bytes of SHA-256("cairn/log/database-id\0" ‖ id)
 *  48  8  id of the data key the segment's records are sealed with
 *  56  4  reserved (0)
 *  60  4  CRC-32 of bytes 0..59
 *
 * Record frame (8 + 12 + 37 + 4·count + operation bytes): one record holds the operations of
 * one group commit (or a run of them that fits RECORD_TARGET_BYTES and the segment), so a batch
 * costs one AEAD seal instead of one per operation.
 *   0  4  body length n (bytes after this 8-byte frame head)
 *   4  4  CRC-32 of (bytes 0..3 ‖ body) — tells a torn write from a clean end; not a MAC
 *   8  8  sequence number of the record's first operation
 *  16  4  operation count c (≥ 1); the operations carry sequences first … first + c − 1
 *  20  …  sealed from @cairn/crypto seal(): version(1) ‖ key id(8) ‖ nonce(12) ‖ ciphertext ‖
 *         tag(16); associated data = recordAssociatedData(db, segment, first, c); the plaintext
 *         is c × (operation length (4) ‖ operation bytes)
 *
 * Version 1 (one operation per record) was only written by development builds before the first
 * release; its segments are refused with LOG_UNSUPPORTED_VERSION.
 */

export const SEGMENT_MAGIC = Buffer.from('CAIRNWAL', 'latin1');
export const SNAPSHOT_MAGIC = Buffer.from('CAIRNSNP', 'latin1');
export const SEGMENT_FORMAT_VERSION = 2;
export const SNAPSHOT_FORMAT_VERSION = 1;
export const SEGMENT_HEADER_SIZE = 64;
export const SNAPSHOT_HEADER_SIZE = 48;
export const FRAME_HEAD_SIZE = 8;
/** First sequence (8) and operation count (4) in front of the sealed part. */
export const RECORD_HEAD_SIZE = 12;
/** Sealing adds version (1), key id (8), nonce (12) and tag (16). */
export const SEALED_OVERHEAD = 37;
export const OPERATION_LENGTH_SIZE = 4;
/** Largest accepted frame body; bounds the memory a corrupt length field can make us read. */
export const MAX_FRAME_BODY = 64 * 1024 * 1024;
/** Largest operation: one operation alone in a record must still fit MAX_FRAME_BODY. */
export const MAX_OPERATION_BYTES = MAX_FRAME_BODY - (frameSize(1, 0) - FRAME_HEAD_SIZE);
/** A group commit is split into records of about this much plaintext (one seal each). */
export const RECORD_TARGET_BYTES = 1024 * 1024;
export const DATABASE_ID_HASH_SIZE = 16;

const TWO_32 = 2 ** 32;

export function writeUint64(target: Uint8Array, offset: number, value: number): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setUint32(offset, Math.floor(value / TWO_32));
  view.setUint32(offset + 4, value >>> 0);
}

export function readUint64(source: Uint8Array, offset: number): number {
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const high = view.getUint32(offset);
  if (high >= 2 ** 21) return Number.NaN; // beyond Number.MAX_SAFE_INTEGER: never written by us
  return high * TWO_32 + view.getUint32(offset + 4);
}

export function hashDatabaseId(databaseId: string): Buffer {
  return createHash('sha256')
    .update('cairn/log/database-id\0')
    .update(databaseId, 'utf8')
    .digest()
    .subarray(0, DATABASE_ID_HASH_SIZE);
}

const RECORD_LABEL = Buffer.from('cairn/log/v2/record\0', 'latin1');
const SNAPSHOT_LABEL = Buffer.from('cairn/log/v1/snapshot\0', 'latin1');

/**
 * Binds a record to its database, segment, first sequence and operation count, so it cannot be
 * moved, replayed, relabelled or have operations cut off or added.
 */
export function recordAssociatedData(
  databaseIdHash: Uint8Array,
  segment: number,
  firstSequence: number,
  count: number,
): Uint8Array {
  const at = RECORD_LABEL.length + DATABASE_ID_HASH_SIZE;
  const out = Buffer.allocUnsafe(at + 20);
  RECORD_LABEL.copy(out, 0);
  out.set(databaseIdHash, RECORD_LABEL.length);
  writeUint64(out, at, segment);
  writeUint64(out, at + 8, firstSequence);
  out.writeUInt32BE(count, at + 16);
  return out;
}

export function snapshotAssociatedData(databaseIdHash: Uint8Array, sequence: number): Uint8Array {
  const out = Buffer.allocUnsafe(SNAPSHOT_LABEL.length + DATABASE_ID_HASH_SIZE + 8);
  SNAPSHOT_LABEL.copy(out, 0);
  out.set(databaseIdHash, SNAPSHOT_LABEL.length);
  writeUint64(out, SNAPSHOT_LABEL.length + DATABASE_ID_HASH_SIZE, sequence);
  return out;
}

export interface SegmentHeader {
  readonly segment: number;
  readonly firstSequence: number;
  readonly databaseIdHash: Uint8Array;
  readonly dataKeyId: string;
}

export function encodeSegmentHeader(header: SegmentHeader): Buffer {
  const out = Buffer.alloc(SEGMENT_HEADER_SIZE);
  SEGMENT_MAGIC.copy(out, 0);
  out.writeUInt16BE(SEGMENT_FORMAT_VERSION, 8);
  out.writeUInt16BE(SEGMENT_HEADER_SIZE, 10);
  writeUint64(out, 16, header.segment);
  writeUint64(out, 24, header.firstSequence);
  out.set(header.databaseIdHash, 32);
  Buffer.from(header.dataKeyId, 'hex').copy(out, 48);
  out.writeUInt32BE(crc32(out.subarray(0, 60)), 60);
  return out;
}

export type HeaderProblem =
  | { readonly kind: 'short' }
  | { readonly kind: 'magic' }
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'checksum' };

export function decodeSegmentHeader(bytes: Uint8Array): SegmentHeader | HeaderProblem {
  if (bytes.length < SEGMENT_HEADER_SIZE) return { kind: 'short' };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, SEGMENT_HEADER_SIZE);
  if (!buf.subarray(0, 8).equals(SEGMENT_MAGIC)) return { kind: 'magic' };
  if (buf.readUInt32BE(60) !== crc32(buf.subarray(0, 60))) return { kind: 'checksum' };
  const version = buf.readUInt16BE(8);
  if (version !== SEGMENT_FORMAT_VERSION || buf.readUInt16BE(10) !== SEGMENT_HEADER_SIZE) {
    return { kind: 'version', version };
  }
  return {
    segment: readUint64(buf, 16),
    firstSequence: readUint64(buf, 24),
    databaseIdHash: Buffer.from(buf.subarray(32, 48)),
    dataKeyId: buf.subarray(48, 56).toString('hex'),
  };
}

export function isHeaderProblem<T extends object>(
  value: T | HeaderProblem,
): value is HeaderProblem {
  return 'kind' in value;
}

/** Frames one sealed record holding `count` operations from `firstSequence` on. */
export function encodeFrame(firstSequence: number, count: number, sealed: Uint8Array): Buffer {
  const bodyLength = RECORD_HEAD_SIZE + sealed.length;
  const out = Buffer.allocUnsafe(FRAME_HEAD_SIZE + bodyLength);
  out.writeUInt32BE(bodyLength, 0);
  writeUint64(out, FRAME_HEAD_SIZE, firstSequence);
  out.writeUInt32BE(count, FRAME_HEAD_SIZE + 8);
  out.set(sealed, FRAME_HEAD_SIZE + RECORD_HEAD_SIZE);
  out.writeUInt32BE(frameChecksum(out), 4);
  return out;
}

/** Size of the frame of a record whose operations total `operationBytes` over `count` of them. */
export function frameSize(count: number, operationBytes: number): number {
  return (
    FRAME_HEAD_SIZE +
    RECORD_HEAD_SIZE +
    SEALED_OVERHEAD +
    count * OPERATION_LENGTH_SIZE +
    operationBytes
  );
}

/** A record's plaintext: each operation prefixed with its length. */
export function packOperations(operations: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const operation of operations) size += OPERATION_LENGTH_SIZE + operation.length;
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const operation of operations) {
    out.writeUInt32BE(operation.length, offset);
    out.set(operation, offset + OPERATION_LENGTH_SIZE);
    offset += OPERATION_LENGTH_SIZE + operation.length;
  }
  return out;
}

/**
 * Splits an authenticated record plaintext back into its operations, or undefined when it does
 * not hold exactly `count` of them (only a writer bug can produce that: the plaintext was
 * authenticated together with the count).
 */
export function unpackOperations(plaintext: Uint8Array, count: number): Uint8Array[] | undefined {
  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const operations: Uint8Array[] = [];
  let offset = 0;
  while (offset + OPERATION_LENGTH_SIZE <= plaintext.length && operations.length < count) {
    const length = view.getUint32(offset);
    const start = offset + OPERATION_LENGTH_SIZE;
    if (start + length > plaintext.length) return undefined;
    operations.push(plaintext.subarray(start, start + length));
    offset = start + length;
  }
  return offset === plaintext.length && operations.length === count ? operations : undefined;
}

export function frameChecksum(frame: Uint8Array): number {
  return crc32(frame.subarray(FRAME_HEAD_SIZE), crc32(frame.subarray(0, 4)));
}

export function segmentFileName(segment: number): string {
  return `segment-${String(segment).padStart(16, '0')}.wal`;
}

export function snapshotFileName(sequence: number): string {
  return `snapshot-${String(sequence).padStart(20, '0')}.snap`;
}

export const KEY_FILE_NAME = 'keys.json';
export const TEMP_SUFFIX = '.tmp';

const SEGMENT_NAME = /^segment-(\d{16})\.wal$/;
const SNAPSHOT_NAME = /^snapshot-(\d{20})\.snap$/;

export function parseSegmentFileName(name: string): number | undefined {
  const match = SEGMENT_NAME.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function parseSnapshotFileName(name: string): number | undefined {
  const match = SNAPSHOT_NAME.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export interface SnapshotHeader {
  readonly sequence: number;
  readonly databaseIdHash: Uint8Array;
}

/*
 * Snapshot file: header (48 bytes) then a @cairn/crypto encrypted stream.
 *   0  8  magic "CAIRNSNP"   8 2 version (1)   10 2 header size (48)   12 4 reserved
 *  16  8  sequence the snapshot covers   24 16 database id hash   40 4 reserved   44 4 CRC-32 of 0..43
 */
export function encodeSnapshotHeader(header: SnapshotHeader): Buffer {
  const out = Buffer.alloc(SNAPSHOT_HEADER_SIZE);
  SNAPSHOT_MAGIC.copy(out, 0);
  out.writeUInt16BE(SNAPSHOT_FORMAT_VERSION, 8);
  out.writeUInt16BE(SNAPSHOT_HEADER_SIZE, 10);
  writeUint64(out, 16, header.sequence);
  out.set(header.databaseIdHash, 24);
  out.writeUInt32BE(crc32(out.subarray(0, 44)), 44);
  return out;
}

export function decodeSnapshotHeader(bytes: Uint8Array): SnapshotHeader | HeaderProblem {
  if (bytes.length < SNAPSHOT_HEADER_SIZE) return { kind: 'short' };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, SNAPSHOT_HEADER_SIZE);
  if (!buf.subarray(0, 8).equals(SNAPSHOT_MAGIC)) return { kind: 'magic' };
  if (buf.readUInt32BE(44) !== crc32(buf.subarray(0, 44))) return { kind: 'checksum' };
  const version = buf.readUInt16BE(8);
  if (version !== SNAPSHOT_FORMAT_VERSION || buf.readUInt16BE(10) !== SNAPSHOT_HEADER_SIZE) {
    return { kind: 'version', version };
  }
  return { sequence: readUint64(buf, 16), databaseIdHash: Buffer.from(buf.subarray(24, 40)) };
}
