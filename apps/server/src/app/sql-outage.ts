/**
 * Errors that mean the SQL server is away (stopped, restarting, unreachable), as postgres.js,
 * Node's sockets and PostgreSQL itself report them. Such a request did not fail because of
 * anything the client sent, and the same request succeeds once the server is back.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // @cairn/storage
  'DATABASE_UNREACHABLE',
]);

/** SQLSTATE: class 08 connection exception; 57P01-57P03 shutdown / starting up. */
function isOutageSqlState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03';
}

/** Walks `cause` chains and AggregateErrors (one per address tried) a few levels deep. */
export function isSqlOutage(error: unknown, depth = 0): boolean {
  if (depth > 6 || typeof error !== 'object' || error === null) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || isOutageSqlState(code))) return true;
  if (Array.isArray(errors) && errors.some((inner) => isSqlOutage(inner, depth + 1))) return true;
  return isSqlOutage(cause, depth + 1);
}
