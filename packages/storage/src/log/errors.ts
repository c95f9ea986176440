import { StorageError } from '../errors.js';

/**
 * Errors of the operation log and snapshots. One class, one string code; `file` and `offset`
 * say where a problem sits on disk so an operator can inspect or restore exactly that file.
 */
export type LogErrorCode =
  | 'LOG_INVALID_ARGUMENT' // bad option or argument; the message says which and why
  | 'LOG_LOCKED' // another live process has the log open for writing
  | 'LOG_CLOSED' // the log was closed, or an earlier write failed and the log stopped accepting writes
  | 'LOG_NO_SPACE' // the disk is full (ENOSPC/EDQUOT): the write was rolled back, the log stays open
  | 'LOG_CORRUPT' // a frame or header fails its checksum / is malformed (not a tail tear)
  | 'LOG_TRUNCATED' // a segment that is not the newest ends in the middle of a record
  | 'LOG_SEQUENCE_GAP' // a record does not carry the next sequence number
  | 'LOG_MISSING_SEGMENT' // a segment between the first and the newest is missing
  | 'LOG_FOREIGN_FILE' // the file belongs to another database or another position
  | 'LOG_DECRYPTION_FAILED' // authentication failed: tampered, moved between files or wrong data key
  | 'LOG_WRONG_KEY' // the master key cannot unwrap the data keys (wrong or missing master key)
  | 'LOG_UNKNOWN_DATA_KEY' // a file names a data key that is not in the key file
  | 'LOG_KEY_FILE_INVALID' // the key file is missing, unreadable or malformed
  | 'LOG_UNSUPPORTED_VERSION' // a file of a format version this code does not read
  | 'SNAPSHOT_CORRUPT' // a snapshot fails authentication or is malformed
  | 'SNAPSHOT_TRUNCATED' // a snapshot ends before its final chunk
  | 'BACKUP_TARGET_NOT_EMPTY' // restore/backup would overwrite existing files without `force`
  | 'BACKUP_INVALID'; // a backup directory is incomplete or inconsistent

export interface LogErrorOptions {
  readonly file?: string;
  readonly offset?: number;
  readonly cause?: unknown;
}

/** A StorageError of the operation log; adds where on disk the problem is. */
export class LogError extends StorageError {
  declare readonly code: LogErrorCode;
  /** Path of the file at fault, when one is. */
  readonly file: string | undefined;
  /** Byte offset inside `file` where the problem starts, when known. */
  readonly offset: number | undefined;

  constructor(code: LogErrorCode, message: string, options: LogErrorOptions = {}) {
    const where =
      options.file === undefined
        ? ''
        : ` (${options.file}${options.offset === undefined ? '' : ` at byte ${options.offset}`})`;
    super(code, `${message}${where}`, options.cause === undefined ? {} : { cause: options.cause });
    this.file = options.file;
    this.offset = options.offset;
  }
}

export function isLogError(value: unknown, code?: LogErrorCode): value is LogError {
  return value instanceof LogError && (code === undefined || value.code === code);
}

/** A problem recovery handled on its own but that an operator should know about. */
export interface StorageWarning {
  readonly code: 'LOG_TAIL_TRUNCATED' | 'SNAPSHOT_FALLBACK' | 'LOG_STALE_TEMP_FILE_REMOVED';
  readonly message: string;
  readonly file: string;
  readonly offset?: number;
  /** Bytes cut off for a tail truncation. */
  readonly bytes?: number;
}
