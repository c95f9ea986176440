import { StorageError } from '../errors.js';

/** The URL with its password replaced, safe for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Validates a PostgreSQL URL before any connection attempt, so typos fail with a clear line. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageError(
      'INVALID_DATABASE_URL',
      'DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StorageError(
      'INVALID_DATABASE_URL',
      `DATABASE_URL has scheme "${parsed.protocol}" but only postgres:// and postgresql:// are supported (${redactDatabaseUrl(url)})`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new StorageError(
      'INVALID_DATABASE_URL',
      `DATABASE_URL names no host (${redactDatabaseUrl(url)}); expected postgres://user:password@host:5432/database`,
    );
  }
  if (database === '') {
    throw new StorageError(
      'INVALID_DATABASE_URL',
      `DATABASE_URL names no database (${redactDatabaseUrl(url)}); add it as the path, e.g. postgres://user@host:5432/cairn`,
    );
  }
  return {
    host: parsed.hostname || (parsed.searchParams.get('host') ?? ''),
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    database,
    user: decodeURIComponent(parsed.username),
  };
}
