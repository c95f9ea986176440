import { open, seal } from './aead.js';
import { decodeUtf8Strict, utf8 } from './encoding.js';
import { CryptoError, isCryptoError } from './errors.js';
import { deriveSubkey } from './hkdf.js';
import { type KeyRing, resolveKey } from './key-ring.js';
import { assertKey, type SymmetricKey } from './keys.js';

/*
 * Secret box, version 1: "cairn-sb1.<key id>.<base64url(sealed message)>", printable so it fits a
 * text column. <key id> is the id of the key passed in (normally the master key), so a key ring
 * of masters picks the right one during rotation. The sealed message is seal() under
 * deriveSubkey(key, 'secret-box') with associated data "cairn-sb1\0" ‖ key id ‖ "\0" ‖ context:
 * a box copied to another row (other context) does not open.
 */
const PREFIX = 'cairn-sb1';
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

export function sealSecret(key: SymmetricKey, secret: string, context: string): string {
  if (typeof secret !== 'string') {
    throw new CryptoError('INVALID_ARGUMENT', 'sealSecret takes the secret as a string');
  }
  assertKey(key, 'secret-box key');
  const sealed = seal(
    deriveSubkey(key, 'secret-box'),
    utf8(secret),
    boxAssociatedData(key.id, context),
  );
  return `${PREFIX}.${key.id}.${Buffer.from(sealed).toString('base64url')}`;
}

export function openSecret(keys: SymmetricKey | KeyRing, boxed: string, context: string): string {
  const { keyId, sealed } = parseBox(boxed);
  const key = resolveKey(keys, keyId, 'Secret box');
  let plaintext: Uint8Array;
  try {
    plaintext = open(deriveSubkey(key, 'secret-box'), sealed, boxAssociatedData(keyId, context));
  } catch (error) {
    // The outer id chose the key; an inner id that disagrees means the box was edited.
    if (isCryptoError(error, 'UNKNOWN_KEY_ID')) {
      throw new CryptoError('DECRYPTION_FAILED', 'Secret box was altered (key ids disagree)', {
        cause: error,
      });
    }
    throw error;
  }
  try {
    return decodeUtf8Strict(plaintext);
  } catch (cause) {
    throw new CryptoError('INVALID_FORMAT', 'Secret box holds bytes that are not UTF-8 text', {
      cause,
    });
  }
}

/** The id of the key a secret box was sealed under, without opening it. */
export function readSecretKeyId(boxed: string): string {
  return parseBox(boxed).keyId;
}

function parseBox(boxed: string): { keyId: string; sealed: Uint8Array } {
  if (typeof boxed !== 'string') {
    throw new CryptoError('INVALID_FORMAT', 'A secret box must be a string');
  }
  const parts = boxed.split('.');
  if (parts[0] !== PREFIX) {
    if (parts.length === 3 && /^cairn-sb\d+$/.test(parts[0] ?? '')) {
      throw new CryptoError(
        'UNSUPPORTED_VERSION',
        `Secret box is "${parts[0]}"; this library reads "${PREFIX}"`,
      );
    }
    throw new CryptoError(
      'INVALID_FORMAT',
      `Not a secret box (expected "${PREFIX}.<key id>.<data>")`,
    );
  }
  const [, keyId = '', data = ''] = parts;
  if (parts.length !== 3 || !KEY_ID_PATTERN.test(keyId) || !BASE64URL_PATTERN.test(data)) {
    throw new CryptoError(
      'INVALID_FORMAT',
      `Malformed secret box (expected "${PREFIX}.<16 hex>.<base64url>")`,
    );
  }
  const sealed = Buffer.from(data, 'base64url');
  if (sealed.toString('base64url') !== data) {
    throw new CryptoError(
      'INVALID_FORMAT',
      'Secret box data is not canonical base64url (truncated or edited?)',
    );
  }
  return { keyId, sealed };
}

function boxAssociatedData(keyId: string, context: string): Uint8Array {
  if (typeof context !== 'string') {
    throw new CryptoError('INVALID_ARGUMENT', 'A secret box context must be a string');
  }
  return utf8(`${PREFIX}\0${keyId}\0${context}`);
}
