import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { SymmetricKey } from '@cairn/crypto';
import { LogError } from './errors.js';
import {
  encodeFrame,
  encodeSegmentHeader,
  FRAME_HEAD_SIZE,
  recordAssociatedData,
  SEGMENT_HEADER_SIZE,
  SEQUENCE_SIZE,
  segmentFileName,
} from './format.js';
import { writeFileDurably } from './fs-durable.js';
import type { SyncPolicy } from './operation-log.js';
import type { RecordCipher } from './record-cipher.js';

const SEALED_OVERHEAD = 37;

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
  readonly sequence: number;
  readonly segment: number;
  readonly keyId: string;
  readonly frame: Buffer;
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
 * Group commit: appends seal their record at once (so sealing overlaps the previous fsync),
 * queue it, and the flush loop writes everything queued with one write and one fdatasync per
 * segment touched. An append resolves only after the fdatasync that covers it.
 */
export class SegmentWriter {
  #options: WriterOptions;
  #dataKey: SymmetricKey;
  #handle: FileHandle;
  #segment: number;
  #position: number;
  #assignedSegment: number;
  #assignedBytes: number;
  #forceRoll = false;
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
    this.#handle = options.active.handle;
    this.#segment = options.active.segment;
    this.#position = options.active.size;
    this.#assignedSegment = options.active.segment;
    this.#assignedBytes = options.active.size;
    this.#forceRoll = options.active.dataKeyId !== options.dataKey.id;
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
    const frameSize = FRAME_HEAD_SIZE + SEQUENCE_SIZE + SEALED_OVERHEAD + payload.length;
    const segmentHasRecords = this.#assignedBytes > SEGMENT_HEADER_SIZE;
    if (
      this.#forceRoll ||
      (segmentHasRecords && this.#assignedBytes + frameSize > this.#options.segmentBytes)
    ) {
      this.#assignedSegment += 1;
      this.#assignedBytes = SEGMENT_HEADER_SIZE;
      this.#forceRoll = false;
    }
    const sequence = this.#nextSequence;
    this.#nextSequence += 1;
    const associatedData = recordAssociatedData(
      this.#options.databaseIdHash,
      this.#assignedSegment,
      sequence,
    );
    const frame = encodeFrame(
      sequence,
      this.#options.cipher.seal(this.#dataKey, payload, associatedData),
    );
    this.#assignedBytes += frame.length;
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({
        sequence,
        segment: this.#assignedSegment,
        keyId: this.#dataKey.id,
        frame,
        resolve,
        reject,
      });
      this.#flushing ??= this.#flushLoop();
    });
  }

  /** Later appends go to a new segment sealed with `dataKey`. */
  useDataKey(dataKey: SymmetricKey): void {
    this.#dataKey = dataKey;
    this.#forceRoll = true;
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
      try {
        await this.#exclusive(() => this.#writeBatch(batch));
        for (const pending of batch) pending.resolve(pending.sequence);
      } catch (error) {
        if (error instanceof NoSpaceError) {
          this.#rewind(batch, error.cause);
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
        for (const pending of [...batch, ...this.#queue]) pending.reject(failure);
        this.#queue = [];
      }
    }
    this.#flushing = undefined;
  }

  async #writeBatch(batch: readonly Pending[]): Promise<void> {
    let start = 0;
    while (start < batch.length) {
      const first = batch[start] as Pending;
      if (first.segment !== this.#segment) await this.#roll(first);
      let end = start;
      while (end < batch.length && (batch[end] as Pending).segment === first.segment) end += 1;
      const frames = batch.slice(start, end).map((pending) => pending.frame);
      const buffer = frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames);
      const before = this.#position;
      try {
        await this.#writeFully(buffer);
      } catch (error) {
        if (!isNoSpace(error)) throw error;
        // A full disk is an outcome to report, not a reason to stop the log: cut the partial
        // frames off (shrinking needs no space) so the file ends at the last whole record.
        await this.#handle.truncate(before);
        this.#position = before;
        throw new NoSpaceError(error);
      }
      if (this.#options.sync === 'always') await this.#handle.datasync();
      this.#lastWritten = (batch[end - 1] as Pending).sequence;
      if (this.#options.sync === 'always') this.#lastDurable = this.#lastWritten;
      start = end;
    }
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

  async #roll(first: Pending): Promise<void> {
    await this.#handle.datasync();
    this.#lastDurable = this.#lastWritten;
    await this.#handle.close();
    this.#options.onSegmentSealed(this.#segment, first.sequence - 1);
    const { dir, databaseIdHash } = this.#options;
    const name = segmentFileName(first.segment);
    const header = encodeSegmentHeader({
      segment: first.segment,
      firstSequence: first.sequence,
      databaseIdHash,
      dataKeyId: first.keyId,
    });
    await writeFileDurably(dir, name, header);
    this.#handle = await open(join(dir, name), 'r+');
    this.#segment = first.segment;
    this.#position = SEGMENT_HEADER_SIZE;
  }

  /**
   * After a rolled-back write: appends already written (earlier segments of the batch) are
   * acknowledged; every later one, queued or not, is refused and its sequence number handed out
   * again, so the log stays gap-free and accepts writes as soon as space returns.
   */
  #rewind(batch: readonly Pending[], cause: unknown): void {
    const refused = new LogError(
      'LOG_NO_SPACE',
      'No space left on the device holding the operation log; the write was not stored. Free disk space and retry',
      {
        file: join(this.#options.dir, segmentFileName(this.#segment)),
        offset: this.#position,
        cause,
      },
    );
    // Each segment's frames are written (and with `always`, fdatasynced) before #lastWritten
    // moves, so everything up to it is as durable as any acknowledged append.
    const written = this.#lastWritten;
    let rollWasDue = false;
    for (const pending of [...batch, ...this.#queue]) {
      if (pending.sequence <= written) {
        pending.resolve(pending.sequence);
      } else {
        rollWasDue ||= pending.segment > this.#segment;
        pending.reject(refused);
      }
    }
    this.#queue = [];
    this.#nextSequence = written + 1;
    this.#assignedSegment = this.#segment;
    this.#assignedBytes = this.#position;
    // A roll that was due (e.g. to a new data key) still happens with the next append.
    this.#forceRoll ||= rollWasDue;
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
