import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyRing, type KeyRing, type SymmetricKey } from '@cairn/crypto';
import { LogError } from './errors.js';
import { encodeSegmentHeader, hashDatabaseId, KEY_FILE_NAME, segmentFileName } from './format.js';
import { removeDurably, writeFileDurably } from './fs-durable.js';
import {
  addDataKey,
  createKeyFile,
  readKeyFile,
  rewrapDataKeys,
  type StoredKeyFile,
  unlockDataKeys,
  writeKeyFile,
} from './key-file.js';
import { acquireLogLock, type LogLock } from './lock-file.js';
import { readLogDirectory, type SnapshotFile } from './log-directory.js';
import { readLogState } from './log-state.js';
import { assertSequence, type ResolvedOptions, resolveOpenOptions } from './open-options.js';
import type {
  DatabaseLog,
  LoggedOperation,
  OpenDatabaseLogOptions,
  Recovery,
  SnapshotState,
} from './operation-log.js';
import { aeadRecordCipher, type RecordCipher } from './record-cipher.js';
import { readRecords } from './record-reader.js';
import { type ActiveSegment, SegmentWriter } from './segment-writer.js';
import { openSnapshotFile, writeSnapshotFile } from './snapshot-file.js';

/** Opens (creating when empty) a database's encrypted log and checks its structure. */
export function openDatabaseLog(options: OpenDatabaseLogOptions): Promise<DatabaseLog> {
  return openDatabaseLogWithCipher(options, aeadRecordCipher);
}

/** Internal seam: the benchmark swaps the cipher to measure encryption's cost. Not exported. */
export async function openDatabaseLogWithCipher(
  options: OpenDatabaseLogOptions,
  cipher: RecordCipher,
): Promise<DatabaseLog> {
  const resolved = resolveOpenOptions(options);
  await mkdir(resolved.dir, { recursive: true, mode: 0o700 });
  const lock = await acquireLogLock(resolved.dir);
  try {
    return await openLocked(resolved, options, cipher, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openLocked(
  resolved: ResolvedOptions,
  options: OpenDatabaseLogOptions,
  cipher: RecordCipher,
  lock: LogLock,
): Promise<DatabaseLog> {
  const { dir, databaseId } = resolved;
  const directory = await readLogDirectory(dir);
  if (directory.tempFiles.length > 0) {
    await removeDurably(dir, directory.tempFiles);
    for (const name of directory.tempFiles) {
      resolved.onWarning({
        code: 'LOG_STALE_TEMP_FILE_REMOVED',
        message: `Removed ${name}, left by a crash before it was renamed into place`,
        file: join(dir, name),
      });
    }
  }
  const keyFilePath = join(dir, KEY_FILE_NAME);
  let keyFile = await readKeyFile(dir);
  if (keyFile === undefined) {
    if (directory.segments.length > 0 || directory.snapshots.length > 0) {
      throw new LogError(
        'LOG_KEY_FILE_INVALID',
        'The key file is missing but log files exist; restore keys.json from a backup',
        { file: keyFilePath },
      );
    }
    keyFile = await createKeyFile(dir, databaseId, options.masterKeys.primary);
  }
  if (keyFile.databaseId !== databaseId) {
    throw new LogError(
      'LOG_FOREIGN_FILE',
      `The key file belongs to database "${keyFile.databaseId}", not "${databaseId}"`,
      { file: keyFilePath },
    );
  }
  const dataKeys = unlockDataKeys(keyFile, options.masterKeys, keyFilePath);
  const databaseIdHash = hashDatabaseId(databaseId);
  const state = await readLogState({
    directory,
    databaseIdHash,
    dataKeys,
    allowOlderSnapshot: resolved.allowOlderSnapshot,
    onWarning: resolved.onWarning,
    repairTail: true,
  });
  const snapshotSequence = state.snapshot?.sequence ?? 0;
  const lastSequence = Math.max(state.logLastSequence, snapshotSequence);
  const newest = state.segments.at(-1);
  let active: ActiveSegment;
  const sealed = state.segments
    .slice(0, -1)
    .map((s) => ({ segment: s.header.segment, lastSequence: s.lastSequence }));
  if (newest === undefined || state.logLastSequence < snapshotSequence) {
    // No segment yet, or (after a power loss under the interval policy) a snapshot newer than
    // the log: start a fresh segment after the snapshot; older segments are all covered.
    const segment = (newest?.header.segment ?? 0) + 1;
    const name = segmentFileName(segment);
    await writeFileDurably(
      dir,
      name,
      encodeSegmentHeader({
        segment,
        firstSequence: lastSequence + 1,
        databaseIdHash,
        dataKeyId: dataKeys.primary.id,
      }),
    );
    if (newest !== undefined)
      sealed.push({ segment: newest.header.segment, lastSequence: newest.lastSequence });
    const handle = await open(join(dir, name), 'r+');
    active = { segment, handle, size: (await handle.stat()).size, dataKeyId: dataKeys.primary.id };
  } else {
    const handle = await open(newest.file, 'r+');
    active = {
      segment: newest.header.segment,
      handle,
      size: newest.endOffset,
      dataKeyId: newest.header.dataKeyId,
    };
  }
  const log = new FileDatabaseLog(
    resolved,
    options.masterKeys,
    keyFile,
    dataKeys,
    databaseIdHash,
    cipher,
    state.snapshot,
  );
  log.start(active, lastSequence, sealed, lock);
  if (state.logLastSequence < snapshotSequence) await log.deleteCoveredSegments(snapshotSequence);
  return log;
}

class FileDatabaseLog implements DatabaseLog {
  readonly databaseId: string;
  readonly dir: string;
  #options: ResolvedOptions;
  #masterKeys: KeyRing;
  #keyFile: StoredKeyFile;
  #dataKeys: KeyRing;
  #databaseIdHash: Uint8Array;
  #cipher: RecordCipher;
  #snapshot: SnapshotFile | undefined;
  #writer: SegmentWriter | undefined;
  #sealed: { segment: number; lastSequence: number }[] = [];
  #maintenance: Promise<unknown> = Promise.resolve();
  #closing: Promise<void> | undefined;
  #lock: LogLock | undefined;

  constructor(
    options: ResolvedOptions,
    masterKeys: KeyRing,
    keyFile: StoredKeyFile,
    dataKeys: KeyRing,
    databaseIdHash: Uint8Array,
    cipher: RecordCipher,
    snapshot: SnapshotFile | undefined,
  ) {
    this.#options = options;
    this.databaseId = options.databaseId;
    this.dir = options.dir;
    this.#masterKeys = masterKeys;
    this.#keyFile = keyFile;
    this.#dataKeys = dataKeys;
    this.#databaseIdHash = databaseIdHash;
    this.#cipher = cipher;
    this.#snapshot = snapshot;
  }

  start(
    active: ActiveSegment,
    lastSequence: number,
    sealed: { segment: number; lastSequence: number }[],
    lock: LogLock,
  ): void {
    this.#sealed = sealed;
    this.#lock = lock;
    this.#writer = new SegmentWriter({
      dir: this.dir,
      databaseIdHash: this.#databaseIdHash,
      cipher: this.#cipher,
      dataKey: this.#dataKeys.primary,
      segmentBytes: this.#options.segmentBytes,
      sync: this.#options.sync,
      active,
      lastSequence,
      onSegmentSealed: (segment, last) => this.#sealed.push({ segment, lastSequence: last }),
    });
  }

  get #w(): SegmentWriter {
    if (this.#writer === undefined) throw new LogError('LOG_CLOSED', 'The log is not open');
    return this.#writer;
  }

  get lastSequence(): number {
    return this.#w.lastSequence;
  }

  /** Last sequence known to be on stable storage (differs from lastSequence only in interval mode). */
  get lastDurableSequence(): number {
    return this.#w.lastDurableSequence;
  }

  append(payload: Uint8Array): Promise<number> {
    if (!(payload instanceof Uint8Array)) {
      return Promise.reject(new LogError('LOG_INVALID_ARGUMENT', 'payload must be a Uint8Array'));
    }
    return this.#w.append(payload);
  }

  read(fromSequence = 1): AsyncIterable<LoggedOperation> {
    assertSequence(fromSequence, 'fromSequence', 1);
    const last = this.lastSequence;
    const source = {
      databaseIdHash: this.#databaseIdHash,
      dataKeys: this.#dataKeys,
      cipher: this.#cipher,
    };
    const dir = this.dir;
    return {
      async *[Symbol.asyncIterator]() {
        const { segments } = await readLogDirectory(dir);
        yield* readRecords(source, segments, fromSequence, last);
      },
    };
  }

  async recover(): Promise<Recovery> {
    const snapshot = this.#snapshot;
    const expectation = { databaseIdHash: this.#databaseIdHash, dataKeys: this.#dataKeys };
    return {
      snapshot:
        snapshot === undefined
          ? undefined
          : {
              sequence: snapshot.sequence,
              open: () => openSnapshotFile({ ...snapshot, ...expectation }),
            },
      operations: this.read((snapshot?.sequence ?? 0) + 1),
    };
  }

  writeSnapshot(sequence: number, state: SnapshotState): Promise<void> {
    assertSequence(sequence, 'sequence', 1);
    if (sequence > this.lastSequence) {
      return Promise.reject(
        new LogError(
          'LOG_INVALID_ARGUMENT',
          `Cannot snapshot sequence ${sequence}: the log ends at ${this.lastSequence}`,
        ),
      );
    }
    return this.#serially(async () => {
      const name = await writeSnapshotFile(
        this.dir,
        this.#databaseIdHash,
        this.#dataKeys.primary,
        sequence,
        state,
      );
      const previous = (await readLogDirectory(this.dir)).snapshots.filter(
        (s) => s.name !== name && s.sequence <= sequence,
      );
      this.#snapshot = { name, file: join(this.dir, name), sequence };
      await this.deleteCoveredSegments(sequence);
      await removeDurably(
        this.dir,
        previous.map((s) => s.name),
      );
    });
  }

  /** Oldest first, so a crash part-way leaves a contiguous run of segments. */
  async deleteCoveredSegments(sequence: number): Promise<void> {
    const covered = this.#sealed.filter(
      (s) => s.lastSequence <= sequence && s.segment !== this.#w.activeSegment,
    );
    covered.sort((a, b) => a.segment - b.segment);
    for (const segment of covered)
      await removeDurably(this.dir, [segmentFileName(segment.segment)]);
    this.#sealed = this.#sealed.filter((s) => !covered.includes(s));
  }

  rotateDataKey(): Promise<void> {
    return this.#serially(async () => {
      const { keyFile, dataKey } = addDataKey(this.#keyFile, this.#masterKeys.primary);
      await writeKeyFile(this.dir, keyFile);
      this.#keyFile = keyFile;
      this.#dataKeys = createKeyRing(dataKey, this.#dataKeys.keys);
      this.#w.useDataKey(dataKey);
    });
  }

  rewrapKeys(newMaster: SymmetricKey): Promise<void> {
    return this.#serially(async () => {
      const file = join(this.dir, KEY_FILE_NAME);
      const keyFile = rewrapDataKeys(this.#keyFile, this.#masterKeys, newMaster, file);
      await writeKeyFile(this.dir, keyFile);
      this.#keyFile = keyFile;
      this.#masterKeys = createKeyRing(
        newMaster,
        this.#masterKeys.keys.filter((k) => k.id !== newMaster.id),
      );
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#maintenance
      .then(() => this.#w.close())
      .finally(() => this.#lock?.release());
    return this.#closing;
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#maintenance.then(task, task);
    this.#maintenance = run.catch(() => {});
    return run;
  }
}
