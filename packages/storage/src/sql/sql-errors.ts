import { StorageError } from '../errors.js';

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
  message?: unknown;
}

/** PostgreSQL SQLSTATE of the driver error under drizzle's DrizzleQueryError wrapper, if any. */
function findDriverError(error: unknown): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as DriverError & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return candidate;
    }
    current = candidate.cause;
  }
  return undefined;
}

function constraintOf(error: DriverError): string {
  const name = error.constraint ?? error.constraint_name;
  return typeof name === 'string' ? name : 'unknown constraint';
}

/**
 * Turns the constraint violations callers can provoke into StorageErrors. The drizzle wrapper
 * is dropped on purpose: it carries the query parameters (password hashes, sealed values).
 * Anything else is rethrown untouched: it is a bug or an outage, not an expected outcome.
 */
export function translateSqlError(error: unknown, what: string): never {
  const driverError = findDriverError(error);
  const cause = driverError ?? error;
  switch (driverError?.code) {
    case '23505':
      throw new StorageError('CONFLICT', `${what}: already exists (${constraintOf(driverError)})`, {
        cause,
      });
    case '23503':
      throw new StorageError(
        'REFERENCE_MISSING',
        `${what}: a referenced row does not exist (${constraintOf(driverError)})`,
        { cause },
      );
    case '23514':
    case '23502':
    case '22P02':
      throw new StorageError(
        'INVALID_INPUT',
        `${what}: the input was refused by ${driverError.code === '22P02' ? 'type validation' : constraintOf(driverError)}`,
        { cause },
      );
    default:
      throw error;
  }
}

/** Runs a write and maps constraint violations to StorageErrors. */
export async function guardWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    translateSqlError(error, what);
  }
}
