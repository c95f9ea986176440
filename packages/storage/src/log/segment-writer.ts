import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SymmetricKey } from '@cairn/crypto';
import { LogError } from './errors.js';
import {
  encodeFrame,
  encodeSegmentHeader,
  frameSize,
  MAX_OPERATION_BYTES,
  packOperations,
  RECORD_TARGET_BYTES,
  recordAssociatedData,
  SEGMENT_HEADER_SIZE,
  segmentFileName,
} from './format.js';
import { fsyncDirectory, writeFileDurably } from './fs-durable.js';
import type { SyncPolicy } from './operation-log.js';
import type { RecordCipher } from './record-cipher.js';

/** Errors a write returns when the file system (or the user's quota) is full. */
function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** A write refused for lack of space and already rolled back (internal to the writer). */
class NoSpaceError extends Error {
  constructor(cause: unknown) {
    super('no space left on device', { cause });
  }
}

interface Pending {
  readonly payload: Uint8Array;
  readonly resolve: (sequence: number) => void;
  readonly reject: (error: unknown) => void;
}

export interface ActiveSegment {
  readonly segment: number;
  readonly handle: FileHandle;
  readonly size: number;
  readonly dataKeyId: string;
}

export interface WriterOptions {
  readonly dir: string;
  readonly databaseIdHash: Uint8Array;
  readonly cipher: RecordCipher;
  readonly dataKey: SymmetricKey;
  readonly segmentBytes: number;
  readonly sync: SyncPolicy;
  readonly active: ActiveSegment;
  readonly lastSequence: number;
  /** Called after a segment is closed because the log rolled past it. */
  readonly onSegmentSealed: (segment: number, lastSequence: number) => void;
}

/**
 * Group commit: appends queue their operation; the flush loop takes everything queued, seals it
 * as one record (or a few, see RECORD_TARGET_BYTES and segment rolls) and writes it with one
 * write and one fdatasync per segment touched. Sequence numbers are assigned as the batch is
 * sealed; an append resolves with its sequence only after the fdatasync that covers it.
 * Sealing once per batch instead of once per operation is what keeps encryption cheap under
 * concurrency: the per-call setup of AES-GCM, not its throughput, dominated.
 */
export class SegmentWriter {
  #options: WriterOptions;
  /** The key new segments are sealed with (changed by useDataKey). */
  #dataKey: SymmetricKey;
  /** The key the open segment's header names; its records are sealed with this one. */
  #segmentKey: SymmetricKey;
  #handle: FileHandle;
  #segment: number;
  #position: number;
  #rollDue: boolean;
  #nextSequence: number;
  #lastWritten: number;
  #lastDurable: number;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #io: Promise<unknown> = Promise.resolve();
  #failure: LogError | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: WriterOptions) {
    this.#options = options;
    this.#dataKey = options.dataKey;
    this.#segmentKey = options.dataKey;
    this.#handle = options.active.handle;
    this.#segment = options.active.segment;
    this.#position = options.active.size;
    this.#rollDue = options.active.dataKeyId !== options.dataKey.id;
    this.#nextSequence = options.lastSequence + 1;
    this.#lastWritten = options.lastSequence;
    this.#lastDurable = options.lastSequence;
    const { sync } = options;
    if (sync !== 'always') {
      this.#timer = setInterval(
        () =>
          void this.#syncNow().catch((error: unknown) =>
            // A failed fdatasync may have dropped written pages: stop accepting writes.
            this.fail(
              new LogError('LOG_CLOSED', 'fdatasync of the operation log failed; reopen the log', {
                cause: error,
              }),
            ),
          ),
        sync.intervalMs,
      );
      this.#timer.unref();
    }
  }

  /** Last acknowledged sequence. */
  get lastSequence(): number {
    return this.#options.sync === 'always' ? this.#lastDurable : this.#lastWritten;
  }

  get lastDurableSequence(): number {
    return this.#lastDurable;
  }

  get activeSegment(): number {
    return this.#segment;
  }

  append(payload: Uint8Array): Promise<number> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (payload.length > MAX_OPERATION_BYTES) {
      return Promise.reject(
        new LogError(
          'LOG_INVALID_ARGUMENT',
          `An operation of ${payload.length} bytes is larger than the log accepts (${MAX_OPERATION_BYTES} bytes)`,
        ),
      );
    }
    // Sealed later, with the batch: keep the bytes as they are now, whatever the caller does
    // with its buffer meanwhile.
    const operation = Uint8Array.prototype.slice.call(payload);
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ payload: operation, resolve, reject });
      this.#flushing ??= this.#flushLoop();
    });
  }

  /** Later appends go to a new segment sealed with `dataKey`. */
  useDataKey(dataKey: SymmetricKey): void {
    this.#dataKey = dataKey;
    this.#rollDue = true;
  }

  fail(error: LogError): void {
    this.#failure ??= error;
  }

  async close(): Promise<void> {
    this.fail(new LogError('LOG_CLOSED', 'The operation log is closed'));
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#flushing;
    await this.#exclusive(async () => {
      try {
        await this.#handle.datasync();
        this.#lastDurable = this.#lastWritten;
      } finally {
        await this.#handle.close();
      }
    });
  }

  async #flushLoop(): Promise<void> {
    // Let every append issued in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      // Only this loop moves #nextSequence, one batch at a time.
      const first = this.#nextSequence;
      try {
        await this.#exclusive(() => this.#writeBatch(batch, first));
        for (const [index, pending] of batch.entries()) pending.resolve(first + index);
      } catch (error) {
        // Records of earlier segments of the batch were written (and with `always`,
        // fdatasynced) before the failure: they are in the log, so say so to their callers.
        const written = this.#nextSequence - first;
        for (const [index, pending] of batch.slice(0, written).entries()) {
          pending.resolve(first + index);
        }
        const unwritten = [...batch.slice(written), ...this.#queue];
        this.#queue = [];
        if (error instanceof NoSpaceError) {
          const refused = this.#noSpace(error.cause);
          for (const pending of unwritten) pending.reject(refused);
          continue;
        }
        const failure =
          error instanceof LogError
            ? error
            : new LogError(
                'LOG_CLOSED',
                'A write to the operation log failed; reopen the log to recover',
                { cause: error },
              );
        this.fail(failure);
        for (const pending of unwritten) pending.reject(failure);
      }
    }
    this.#flushing = undefined;
  }

  /**
   * Writes the batch as records from sequence `first` on, moving #nextSequence past each
   * segment's part once it is written.
   */
  async #writeBatch(batch: readonly Pending[], first: number): Promise<void> {
    let index = 0;
    while (index < batch.length) {
      const next = (batch[index] as Pending).payload.length;
      if (this.#rollDue || !this.#fits(this.#position, frameSize(1, next))) {
        await this.#roll(first + index);
      }
      const frames: Buffer[] = [];
      let end = this.#position;
      while (index < batch.length) {
        const count = this.#recordLength(batch, index, end);
        if (count === 0) break; // the segment is full: roll before the rest
        const frame = this.#seal(batch.slice(index, index + count), first + index);
        frames.push(frame);
        end += frame.length;
        index += count;
      }
      const buffer = frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames);
      const before = this.#position;
      try {
        await this.#writeFully(buffer);
      } catch (error) {
        if (!isNoSpace(error)) throw error;
        // A full disk is an outcome to report, not a reason to stop the log: cut the partial
        // frames off (shrinking needs no space) so the file ends at the last whole record.
        await this.#handle.truncate(before);
        // The refused records must not come back after a power loss: their sequence numbers
        // are about to be given to other operations.
        await this.#handle.datasync();
        this.#position = before;
        throw new NoSpaceError(error);
      }
      if (this.#options.sync === 'always') await this.#handle.datasync();
      this.#nextSequence = first + index;
      this.#lastWritten = first + index - 1;
      if (this.#options.sync === 'always') this.#lastDurable = this.#lastWritten;
    }
  }

  /** Does a frame of `bytes` fit a segment that is `position` bytes long? An empty one takes any. */
  #fits(position: number, bytes: number): boolean {
    return position <= SEGMENT_HEADER_SIZE || position + bytes <= this.#options.segmentBytes;
  }

  /**
   * How many appends from `start` on the next record takes, when the segment is `end` long.
   * Only a record's first operation may overflow an empty segment (an operation larger than
   * a segment has to go somewhere); the rest wait for the next segment.
   */
  #recordLength(batch: readonly Pending[], start: number, end: number): number {
    const { segmentBytes } = this.#options;
    let count = 0;
    let operationBytes = 0;
    while (start + count < batch.length) {
      const size = (batch[start + count] as Pending).payload.length;
      const frame = frameSize(count + 1, operationBytes + size);
      if (count > 0) {
        const plaintext = frame - frameSize(0, 0);
        if (plaintext > RECORD_TARGET_BYTES || end + frame > segmentBytes) break;
      } else if (!this.#fits(end, frame)) {
        break;
      }
      operationBytes += size;
      count += 1;
    }
    return count;
  }

  #seal(operations: readonly Pending[], firstSequence: number): Buffer {
    const associatedData = recordAssociatedData(
      this.#options.databaseIdHash,
      this.#segment,
      firstSequence,
      operations.length,
    );
    const plaintext = packOperations(operations.map((pending) => pending.payload));
    const sealed = this.#options.cipher.seal(this.#segmentKey, plaintext, associatedData);
    return encodeFrame(firstSequence, operations.length, sealed);
  }

  async #writeFully(buffer: Buffer): Promise<void> {
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.#handle.write(
        buffer,
        written,
        buffer.length - written,
        this.#position,
      );
      written += bytesWritten;
      this.#position += bytesWritten;
    }
  }

  /**
   * Starts the next segment. Its file is created before the current one is given up, so a full
   * disk here refuses the rest of the batch (its earlier part is already durable) and leaves the
   * writer where it was, like a full disk during a write.
   */
  async #roll(firstSequence: number): Promise<void> {
    await this.#handle.datasync();
    this.#lastDurable = this.#lastWritten;
    const { dir, databaseIdHash } = this.#options;
    const segment = this.#segment + 1;
    const name = segmentFileName(segment);
    // useDataKey may run while this roll awaits: the header and the records follow this key,
    // and a newer one gets a roll of its own.
    const key = this.#dataKey;
    const header = encodeSegmentHeader({
      segment,
      firstSequence,
      databaseIdHash,
      dataKeyId: key.id,
    });
    let handle: FileHandle;
    try {
      await writeFileDurably(dir, name, header);
      handle = await open(join(dir, name), 'r+');
    } catch (error) {
      if (!isNoSpace(error)) throw error;
      // Nothing is in the new file yet; a header-only segment left behind (or brought back by
      // a power loss) would clash with the records that keep going to the current one.
      await rm(join(dir, name), { force: true }).catch(() => {});
      await fsyncDirectory(dir).catch(() => {});
      throw new NoSpaceError(error);
    }
    await this.#handle.close();
    this.#options.onSegmentSealed(this.#segment, firstSequence - 1);
    this.#handle = handle;
    this.#segment = segment;
    this.#segmentKey = key;
    this.#position = SEGMENT_HEADER_SIZE;
    this.#rollDue = this.#dataKey !== key;
  }

  /**
   * The refusal of appends that hit a full disk. Sequence numbers are only assigned to written
   * records, so the log stays gap-free and takes writes again once space returns.
   */
  #noSpace(cause: unknown): LogError {
    return new LogError(
      'LOG_NO_SPACE',
      'No space left on the device holding the operation log; the write was not stored. Free disk space and retry',
      {
        file: join(this.#options.dir, segmentFileName(this.#segment)),
        offset: this.#position,
        cause,
      },
    );
  }

  #syncNow(): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#failure !== undefined && this.#flushing === undefined) return;
      const written = this.#lastWritten;
      if (written === this.#lastDurable) return;
      await this.#handle.datasync();
      this.#lastDurable = Math.max(this.#lastDurable, written);
    });
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#io.then(task, task);
    this.#io = run.catch(() => {});
    return run;
  }
}
