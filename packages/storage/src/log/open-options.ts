import { LogError, type StorageWarning } from './errors.js';
import type { OpenDatabaseLogOptions, SyncPolicy } from './operation-log.js';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Small limits exist for tests of rolling; production uses megabytes. */
const MIN_SEGMENT_BYTES = 128;
const MAX_DATABASE_ID_LENGTH = 256;

export interface ResolvedOptions {
  readonly dir: string;
  readonly databaseId: string;
  readonly segmentBytes: number;
  readonly sync: SyncPolicy;
  readonly allowOlderSnapshot: boolean;
  readonly onWarning: (warning: StorageWarning) => void;
}

function invalid(message: string): LogError {
  return new LogError('LOG_INVALID_ARGUMENT', message);
}

export function resolveOpenOptions(options: OpenDatabaseLogOptions): ResolvedOptions {
  const {
    dir,
    databaseId,
    segmentBytes = DEFAULT_SEGMENT_BYTES,
    sync = 'always',
    allowOlderSnapshot = false,
    onWarning = (warning: StorageWarning) => console.warn(`cairn storage: ${warning.message}`),
  } = options;
  if (typeof dir !== 'string' || dir === '') throw invalid('dir must be a non-empty path');
  if (
    typeof databaseId !== 'string' ||
    databaseId === '' ||
    databaseId.length > MAX_DATABASE_ID_LENGTH
  ) {
    throw invalid(
      `databaseId must be a non-empty string of at most ${MAX_DATABASE_ID_LENGTH} characters`,
    );
  }
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES) {
    throw invalid(
      `segmentBytes must be an integer ≥ ${MIN_SEGMENT_BYTES}, got ${String(segmentBytes)}`,
    );
  }
  if (sync !== 'always') {
    const valid =
      typeof sync === 'object' &&
      sync.mode === 'interval' &&
      Number.isFinite(sync.intervalMs) &&
      sync.intervalMs > 0;
    if (!valid)
      throw invalid("sync must be 'always' or { mode: 'interval', intervalMs: <positive number> }");
  }
  return { dir, databaseId, segmentBytes, sync, allowOlderSnapshot, onWarning };
}

export function assertSequence(value: unknown, name: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
}
