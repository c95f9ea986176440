import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { asBuffer, toHex, utf8 } from './encoding.js';
import { CryptoError } from './errors.js';

/** A 256-bit key. `id` names it in sealed data without revealing it. */
export interface SymmetricKey {
  /** 16 lowercase hex chars: HMAC-SHA-256(key, "cairn/v1/key-id"), first 8 bytes. */
  readonly id: string;
  /** The 32 key bytes. Not enumerable, so logging or JSON-encoding a key shows only its id. */
  readonly bytes: Uint8Array;
}

export const KEY_BYTES = 32;
export const KEY_ID_BYTES = 8;

const KEY_ID_LABEL = utf8('cairn/v1/key-id');
/* Anything longer is not a key someone pasted; refuse before running regexes over it. */
const MAX_KEY_TEXT_LENGTH = 512;
const HOW_TO_FIX =
  'expected 32 bytes as base64 (44 chars, or 43 without padding) or 64 hex chars; ' +
  'generate one with `cairn keygen`';

/**
 * Derived one-way (a MAC of a fixed label under the key) rather than random, so the same key
 * always has the same id, an id never helps recover the key, and no id table needs storing.
 */
export function computeKeyId(bytes: Uint8Array): string {
  const mac = createHmac('sha256', asBuffer(bytes)).update(KEY_ID_LABEL).digest();
  return toHex(mac.subarray(0, KEY_ID_BYTES));
}

export function createKey(bytes: Uint8Array): SymmetricKey {
  if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_BYTES) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new CryptoError('INVALID_KEY', `A key must be exactly 32 bytes (got ${got})`);
  }
  // Copy, so a caller reusing or zeroing its buffer cannot change the key under us.
  const copy = new Uint8Array(bytes);
  const id = computeKeyId(copy);
  const key = { id } as SymmetricKey;
  Object.defineProperties(key, {
    bytes: { value: copy, enumerable: false },
    toJSON: { value: () => ({ id }), enumerable: false },
    [inspect.custom]: { value: () => `SymmetricKey { id: '${id}' }`, enumerable: false },
  });
  return Object.freeze(key);
}

export function isSymmetricKey(value: unknown): value is SymmetricKey {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { id?: unknown; bytes?: unknown };
  return (
    typeof candidate.id === 'string' &&
    candidate.bytes instanceof Uint8Array &&
    candidate.bytes.length === KEY_BYTES
  );
}

/**
 * Guards the sealing side against hand-made key objects: a key must have 32 bytes and a
 * 16-hex-char id, or the id written into a message would not name it.
 */
export function assertKey(key: SymmetricKey, role: string): void {
  if (!isSymmetricKey(key) || !/^[0-9a-f]{16}$/.test(key.id)) {
    throw new CryptoError(
      'INVALID_KEY',
      `The ${role} is not a key made by createKey, parseMasterKey or generateMasterKey`,
    );
  }
}

export function generateMasterKey(): SymmetricKey {
  return createKey(randomBytes(KEY_BYTES));
}

/**
 * Parses a master key from configuration. Accepts 64 hex chars, or base64 (standard or
 * url-safe alphabet, padding optional). Errors describe the problem but never echo the text.
 */
export function parseMasterKey(text: string): SymmetricKey {
  if (typeof text !== 'string') {
    throw new CryptoError('INVALID_KEY', `Master key must be a string (got ${typeof text})`);
  }
  if (text.length > MAX_KEY_TEXT_LENGTH) {
    throw new CryptoError(
      'INVALID_KEY',
      `Master key text is ${text.length} characters, far too long; ${HOW_TO_FIX}`,
    );
  }
  const trimmed = text.trim();
  if (trimmed.length === 0) {
    throw new CryptoError('INVALID_KEY', `Master key is empty; ${HOW_TO_FIX}`);
  }
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return createKey(Buffer.from(trimmed, 'hex'));
  // Hex of the wrong length; a real base64 key made only of hex digits is vanishingly unlikely.
  if (/^(0x)?[0-9a-fA-F]+$/.test(trimmed) && trimmed.length !== 43 && trimmed.length !== 44) {
    throw new CryptoError(
      'INVALID_KEY',
      `Master key looks like hex but has ${trimmed.length} characters${trimmed.startsWith('0x') ? ' (drop the 0x prefix)' : ''}; ${HOW_TO_FIX}`,
    );
  }
  return createKey(decodeBase64Key(trimmed));
}

function decodeBase64Key(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new CryptoError(
      'INVALID_KEY',
      `Master key contains characters that are neither hex nor base64 (inner whitespace, quotes?); ${HOW_TO_FIX}`,
    );
  }
  if (/[+/]/.test(text) && /[-_]/.test(text)) {
    throw new CryptoError(
      'INVALID_KEY',
      `Master key mixes the standard and url-safe base64 alphabets; ${HOW_TO_FIX}`,
    );
  }
  const body = text.replace(/=+$/, '');
  const padding = text.length - body.length;
  if (body.length % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) {
    throw new CryptoError(
      'INVALID_KEY',
      `Master key is not valid base64 (bad length or padding); ${HOW_TO_FIX}`,
    );
  }
  const bytes = Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== KEY_BYTES) {
    bytes.fill(0);
    throw new CryptoError(
      'INVALID_KEY',
      `Master key decodes to ${Math.floor((body.length * 3) / 4)} bytes of base64, not 32; ${HOW_TO_FIX}`,
    );
  }
  // Non-canonical text (stray low bits in the last char) would make two spellings of one key.
  if (bytes.toString('base64').replace(/=+$/, '') !== body.replace(/-/g, '+').replace(/_/g, '/')) {
    bytes.fill(0);
    throw new CryptoError('INVALID_KEY', `Master key is not canonical base64; ${HOW_TO_FIX}`);
  }
  return bytes;
}

export function formatKey(key: SymmetricKey, encoding: 'base64' | 'hex' = 'base64'): string {
  if (encoding !== 'base64' && encoding !== 'hex') {
    throw new CryptoError('INVALID_ARGUMENT', 'Key encoding must be "base64" or "hex"');
  }
  return asBuffer(key.bytes).toString(encoding);
}
