/** What stops the bridge (configuration) or one HTTP request (authentication). */
export type BridgeErrorCode = 'BAD_CONFIG' | 'UNAUTHENTICATED' | 'API_UNAVAILABLE';

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
  }
}

export function isBridgeError(value: unknown): value is BridgeError {
  return value instanceof BridgeError;
}
