import type { Readable } from 'node:stream';
import type { KeyRing, SymmetricKey } from '@cairn/crypto';
import type { StorageWarning } from './errors.js';

export interface LoggedOperation {
  readonly sequence: number;
  readonly payload: Uint8Array;
}

/**
 * The durable, ordered log of a database's operations. The file-based `DatabaseLog` is the
 * implementation today; a PostgreSQL-backed log can implement the same contract later.
 */
export interface OperationLog {
  /** Last acknowledged sequence (0 when the log is empty). */
  readonly lastSequence: number;
  /** Resolves with the operation's sequence once it is durable (see `SyncPolicy`). */
  append(payload: Uint8Array): Promise<number>;
  /** Operations from `fromSequence` (default 1) up to `lastSequence` at the time of the call. */
  read(fromSequence?: number): AsyncIterable<LoggedOperation>;
  /** Waits for pending appends, then releases files. Appends after close reject. */
  close(): Promise<void>;
}

/**
 * `always` (default): every append waits for the fdatasync that covers it — nothing
 * acknowledged is lost, even on power failure. Group commit keeps this fast under concurrency.
 * `interval`: appends resolve once written to the OS; a timer fdatasyncs every `intervalMs`.
 * A process crash loses nothing, but a power failure or kernel crash can lose up to
 * `intervalMs` of acknowledged operations. Faster at concurrency 1, for users who accept that.
 */
export type SyncPolicy = 'always' | { readonly mode: 'interval'; readonly intervalMs: number };

export interface OpenDatabaseLogOptions {
  /** The database's own directory (created when missing). */
  readonly dir: string;
  readonly databaseId: string;
  /** Primary master key (wraps new data keys) plus previous ones still accepted for reading. */
  readonly masterKeys: KeyRing;
  /** Roll to a new segment once a segment would exceed this many bytes (default 64 MiB). */
  readonly segmentBytes?: number;
  readonly sync?: SyncPolicy;
  /** When the newest snapshot is damaged, fall back to an older one instead of failing. */
  readonly allowOlderSnapshot?: boolean;
  readonly onWarning?: (warning: StorageWarning) => void;
}

export interface RecoveredSnapshot {
  readonly sequence: number;
  /** The snapshot's plaintext; the stream errors with a LogError if the file is damaged. */
  open(): Readable;
}

export interface Recovery {
  readonly snapshot: RecoveredSnapshot | undefined;
  /** Operations after the snapshot, in order. */
  readonly operations: AsyncIterable<LoggedOperation>;
}

export type SnapshotState = Iterable<Uint8Array> | AsyncIterable<Uint8Array> | Readable;

export interface DatabaseLog extends OperationLog {
  readonly databaseId: string;
  readonly dir: string;
  recover(): Promise<Recovery>;
  /** Stores the full state as of `sequence` (≤ lastSequence) and deletes segments it covers. */
  writeSnapshot(sequence: number, state: SnapshotState): Promise<void>;
  /** New segments and snapshots use a fresh data key; older files stay readable. */
  rotateDataKey(): Promise<void>;
  /** Re-wraps the data keys under a new master key without rewriting any data. */
  rewrapKeys(newMaster: SymmetricKey): Promise<void>;
}
