import { randomBytes } from 'node:crypto';
import { asBuffer, toHex } from './encoding.js';
import { CryptoError } from './errors.js';
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, gcmDecrypt, gcmEncrypt } from './gcm.js';
import { type KeyRing, resolveKey } from './key-ring.js';
import { assertKey, KEY_ID_BYTES, type SymmetricKey } from './keys.js';

/*
 * Sealed message, version 1:
 *   0      1  version 0x01
 *   1      8  key id (the sealing key's id, as raw bytes)
 *   9     12  nonce (random)
 *  21      n  ciphertext (same length as the plaintext)
 *  21+n   16  GCM tag
 * GCM's associated data is bytes 0..20 (version, key id, nonce) followed by the caller's associated
 * data, so the header cannot be altered either.
 */
export const SEALED_VERSION = 0x01;
export const SEALED_HEADER_BYTES = 1 + KEY_ID_BYTES + GCM_NONCE_BYTES;
export const SEALED_OVERHEAD: number = SEALED_HEADER_BYTES + GCM_TAG_BYTES;

const EMPTY = new Uint8Array(0);

export function seal(
  key: SymmetricKey,
  plaintext: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  assertKey(key, 'sealing key');
  const header = Buffer.allocUnsafe(SEALED_HEADER_BYTES);
  header[0] = SEALED_VERSION;
  header.write(key.id, 1, KEY_ID_BYTES, 'hex');
  randomBytes(GCM_NONCE_BYTES).copy(header, 1 + KEY_ID_BYTES);
  const nonce = header.subarray(1 + KEY_ID_BYTES);
  return gcmEncrypt(key.bytes, nonce, plaintext, [header, associatedData], header);
}

export function open(
  keys: SymmetricKey | KeyRing,
  sealed: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  const keyId = readSealedKeyId(sealed);
  if (sealed.length < SEALED_OVERHEAD) {
    throw new CryptoError(
      'TRUNCATED',
      `Sealed message is ${sealed.length} bytes, shorter than the ${SEALED_OVERHEAD}-byte minimum`,
    );
  }
  const key = resolveKey(keys, keyId, 'Sealed message');
  const view = asBuffer(sealed);
  const header = view.subarray(0, SEALED_HEADER_BYTES);
  return gcmDecrypt(
    key.bytes,
    header.subarray(1 + KEY_ID_BYTES),
    view.subarray(SEALED_HEADER_BYTES),
    [header, associatedData],
    'Sealed message',
  );
}

/** The id of the key a message was sealed under (to pick a key, or to report which is missing). */
export function readSealedKeyId(sealed: Uint8Array): string {
  if (!(sealed instanceof Uint8Array)) {
    throw new CryptoError('INVALID_FORMAT', 'A sealed message must be a Uint8Array');
  }
  if (sealed.length === 0) throw new CryptoError('TRUNCATED', 'Sealed message is empty');
  if (sealed[0] !== SEALED_VERSION) {
    throw new CryptoError(
      'UNSUPPORTED_VERSION',
      `Sealed message has version byte 0x${(sealed[0] ?? 0).toString(16).padStart(2, '0')}; this library reads version 0x01`,
    );
  }
  if (sealed.length < 1 + KEY_ID_BYTES) {
    throw new CryptoError('TRUNCATED', 'Sealed message ends inside its key id');
  }
  return toHex(sealed.subarray(1, 1 + KEY_ID_BYTES));
}
