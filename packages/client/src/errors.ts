/**
 * What can go wrong talking to the Cairn API. The first group are the API's own codes
 * (`extensions.code`, DESIGN §6), passed through unchanged so callers act on the API's decision;
 * the rest are the client's.
 */
export type CairnClientErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  /** The API could not be reached (refused, reset, DNS, TLS). */
  | 'NETWORK'
  /** No answer within the configured timeout. */
  | 'TIMEOUT'
  /** The API answered something that is not a GraphQL response. */
  | 'BAD_RESPONSE'
  /** The client's own options are wrong (URL, CA file, timeout). */
  | 'BAD_CONFIG';

const API_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
]);

export interface CairnClientErrorOptions {
  readonly cause?: unknown;
  /** HTTP status of the answer, when there was one. */
  readonly status?: number;
  /** 1-based position of a syntax error in a text argument (fact, rule, query). */
  readonly line?: number;
  readonly column?: number;
  /** The argument at fault, e.g. `fact` or `facts[2]`. */
  readonly argument?: string;
}

export class CairnClientError extends Error {
  readonly code: CairnClientErrorCode;
  readonly status: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly argument: string | undefined;

  constructor(code: CairnClientErrorCode, message: string, options: CairnClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnClientError';
    this.code = code;
    this.status = options.status;
    this.line = options.line;
    this.column = options.column;
    this.argument = options.argument;
  }
}

export function isCairnClientError(value: unknown): value is CairnClientError {
  return value instanceof CairnClientError;
}

/** An `extensions.code` from the API, or INTERNAL when it is missing or unknown. */
export function parseApiErrorCode(code: unknown): CairnClientErrorCode {
  return typeof code === 'string' && API_CODES.has(code)
    ? (code as CairnClientErrorCode)
    : 'INTERNAL';
}
