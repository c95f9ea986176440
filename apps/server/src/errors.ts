import { GraphQLError } from 'graphql';

/**
 * The server's error codes (DESIGN §6). `INTERNAL` never reaches a client with its message:
 * anything that is not a CairnError is masked.
 */
export type CairnErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** The one table from error code to HTTP status. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<CairnErrorCode, number>> = Object.freeze({
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
});

/**
 * Codes whose HTTP status replaces GraphQL-over-HTTP's 200 even when a resolver raises them:
 * clients, proxies and retry logic act on 401 and 429 by status. Other resolver errors keep
 * 200 with the code in `extensions.code`, as the GraphQL-over-HTTP spec expects for
 * execution errors (request-level failures use the table directly).
 */
const STATUS_OVERRIDES_EXECUTION: ReadonlySet<CairnErrorCode> = new Set([
  'UNAUTHENTICATED',
  'RATE_LIMITED',
]);

export interface CairnErrorOptions {
  readonly cause?: unknown;
  /** 1-based position of a syntax error in the text argument. */
  readonly line?: number;
  readonly column?: number;
  /** The argument at fault, e.g. `fact` or `facts[2]`. */
  readonly argument?: string;
  /** For RATE_LIMITED: sent as `Retry-After` so clients wait instead of hammering. */
  readonly retryAfterSeconds?: number;
}

export class CairnError extends Error {
  readonly code: CairnErrorCode;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly argument: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: CairnErrorCode, message: string, options: CairnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    this.line = options.line;
    this.column = options.column;
    this.argument = options.argument;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

export function isCairnError(value: unknown): value is CairnError {
  return value instanceof CairnError;
}

/** Response headers an error code requires (RFC 6750 for 401). */
export function headersForCode(code: CairnErrorCode): Record<string, string> {
  return code === 'UNAUTHENTICATED' ? { 'WWW-Authenticate': 'Bearer realm="cairn"' } : {};
}

/** The GraphQL form of a CairnError: `extensions.code`, position, and HTTP hints for yoga. */
export function toGraphQLError(error: CairnError): GraphQLError {
  const extensions: Record<string, unknown> = { code: error.code };
  if (error.argument !== undefined) extensions.argument = error.argument;
  if (error.line !== undefined) extensions.line = error.line;
  if (error.column !== undefined) extensions.column = error.column;
  if (STATUS_OVERRIDES_EXECUTION.has(error.code)) {
    const headers = headersForCode(error.code);
    if (error.retryAfterSeconds !== undefined) {
      headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    }
    extensions.http = { status: error.httpStatus, headers };
  }
  return new GraphQLError(error.message, { extensions, originalError: error });
}

/** A complete GraphQL-over-HTTP error response for failures before any GraphQL runs. */
export function createErrorResponse(
  error: CairnError,
  extraHeaders: Record<string, string> = {},
  status = error.httpStatus,
): Response {
  const headers = new Headers(extraHeaders);
  headers.set('content-type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(headersForCode(error.code))) headers.set(name, value);
  const body = { errors: [{ message: error.message, extensions: { code: error.code } }] };
  return new Response(JSON.stringify(body), { status, headers });
}
