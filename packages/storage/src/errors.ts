import type { LogErrorCode } from './log/errors.js';

/**
 * Every failure @cairn/storage reports on purpose. Codes are stable strings so callers (the
 * server's one error table, the CLI's exit codes) can switch on them; the message says what
 * went wrong and how to fix it, and never contains a secret such as a database password.
 */
export type StorageErrorCode =
  /** A unique constraint refused the write (duplicate username, key hash, grant, …). */
  | 'CONFLICT'
  /** A foreign key refused the write: the referenced row does not exist. */
  | 'REFERENCE_MISSING'
  /** A CHECK constraint or argument validation refused the input. */
  | 'INVALID_INPUT'
  /** The database URL cannot be parsed or uses an unsupported scheme. */
  | 'INVALID_DATABASE_URL'
  /** The SQL server cannot be reached (refused, unknown host, timeout). */
  | 'DATABASE_UNREACHABLE'
  /** The SQL server rejected the credentials or the database name. */
  | 'DATABASE_AUTH_FAILED'
  /** Applying the schema migrations failed. */
  | 'MIGRATION_FAILED'
  /** A secret operation needs the master key but the store was opened without one. */
  | 'MASTER_KEY_MISSING'
  /** A sealed secret could not be opened: wrong key, tampered value, or moved to another row. */
  | 'SECRET_UNREADABLE'
  /** Flushing a security-relevant change to stable storage failed; it was not acknowledged. */
  | 'DURABILITY_FAILED'
  /** The store was used after close(). */
  | 'STORE_CLOSED'
  /** Another live process (or another store in this one) has the embedded SQL store open. */
  | 'STORE_LOCKED'
  /** Operation log and snapshots (src/log): LogError carries the file and byte offset. */
  | LogErrorCode;

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

export function isStorageError(value: unknown, code?: StorageErrorCode): value is StorageError {
  return value instanceof StorageError && (code === undefined || value.code === code);
}
