export type CryptoErrorCode =
  /** Malformed master key text, or key bytes that are not exactly 32 bytes. */
  | 'INVALID_KEY'
  /** Not a sealed message / stream / secret box / wrapped key this library recognises. */
  | 'INVALID_FORMAT'
  /** A recognised format with a version byte this library does not read. */
  | 'UNSUPPORTED_VERSION'
  /** Sealed under a key id that is not in the key ring (or is not the key given). */
  | 'UNKNOWN_KEY_ID'
  /** Authentication failed: wrong key, wrong associated data or context, tampered bytes. */
  | 'DECRYPTION_FAILED'
  /** The input ends early (a message cut short, or a stream without its final chunk). */
  | 'TRUNCATED'
  /** A password hash string that is not a PHC-format argon2 hash we accept. */
  | 'INVALID_PASSWORD_HASH'
  /** A password that is empty or longer than MAX_PASSWORD_BYTES (refused before hashing). */
  | 'INVALID_PASSWORD'
  /** A caller-supplied option out of range (chunk size, context length, parameters…). */
  | 'INVALID_ARGUMENT';

/**
 * The one error type of @cairn/crypto. Messages say what was wrong and how to fix it, and never
 * contain key material, plaintext or the text of a rejected key.
 */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function isCryptoError(value: unknown, code?: CryptoErrorCode): value is CryptoError {
  return value instanceof CryptoError && (code === undefined || value.code === code);
}
