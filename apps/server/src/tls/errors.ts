export type TlsConfigErrorCode =
  | 'TLS_SETTINGS_INCOMPLETE'
  | 'TLS_FILE_UNREADABLE'
  | 'TLS_KEYSTORE_PASSWORD_WRONG'
  | 'TLS_KEYSTORE_LEGACY'
  | 'TLS_KEYSTORE_INVALID'
  | 'TLS_PEM_INVALID'
  | 'TLS_KEY_MISMATCH'
  | 'TLS_CERTIFICATE_EXPIRED'
  | 'TLS_CERTIFICATE_NOT_YET_VALID'
  | 'TLS_CLIENT_CA_INVALID';

/**
 * Every TLS setting that cannot be used at start (or on reload). The message is one line that
 * names the environment variable at fault and says how to fix it, so main.ts can print it as is.
 */
export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';
  readonly code: TlsConfigErrorCode;
  /** The environment variable the operator has to change. */
  readonly variable: string;

  constructor(
    code: TlsConfigErrorCode,
    variable: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.variable = variable;
  }
}

export function isTlsConfigError(error: unknown): error is TlsConfigError {
  return error instanceof TlsConfigError;
}
