import { randomBytes } from 'node:crypto';
import { asBuffer, toHex, utf8 } from './encoding.js';
import { CryptoError } from './errors.js';
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, gcmDecrypt, gcmEncrypt } from './gcm.js';
import { deriveSubkey } from './hkdf.js';
import { type KeyRing, resolveKey } from './key-ring.js';
import { assertKey, createKey, KEY_BYTES, KEY_ID_BYTES, type SymmetricKey } from './keys.js';

/*
 * Wrapped data key, version 1 (77 bytes):
 *   0   1  version 0x01
 *   1   8  KEK id (the master key's id)
 *   9   8  data key id
 *  17  12  nonce (random)
 *  29  32  encrypted data key
 *  61  16  GCM tag
 * Encrypted under deriveSubkey(kek, 'data-key-wrap'), never under the master key itself. GCM's
 * associated data is bytes 0..28, then "cairn/v1/wrapped-key\0", then the UTF-8 context: a wrapped
 * key copied to another database (other context) or relabelled with another id fails to open.
 */
export const WRAPPED_KEY_VERSION = 0x01;
const HEADER_BYTES = 1 + KEY_ID_BYTES + KEY_ID_BYTES + GCM_NONCE_BYTES;
export const WRAPPED_KEY_BYTES = HEADER_BYTES + KEY_BYTES + GCM_TAG_BYTES;
const AAD_LABEL = utf8('cairn/v1/wrapped-key\0');

export function generateDataKey(): SymmetricKey {
  const bytes = randomBytes(KEY_BYTES);
  const key = createKey(bytes);
  bytes.fill(0);
  return key;
}

export function wrapKey(kek: SymmetricKey, dataKey: SymmetricKey, context: string): Uint8Array {
  assertContext(context);
  assertKey(kek, 'key-encryption key');
  assertKey(dataKey, 'data key');
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header[0] = WRAPPED_KEY_VERSION;
  header.write(kek.id, 1, KEY_ID_BYTES, 'hex');
  header.write(dataKey.id, 1 + KEY_ID_BYTES, KEY_ID_BYTES, 'hex');
  randomBytes(GCM_NONCE_BYTES).copy(header, 1 + 2 * KEY_ID_BYTES);
  const wrappingKey = deriveSubkey(kek, 'data-key-wrap');
  return gcmEncrypt(
    wrappingKey.bytes,
    header.subarray(1 + 2 * KEY_ID_BYTES),
    dataKey.bytes,
    wrappedKeyAssociatedData(header, context),
    header,
  );
}

export function unwrapKey(
  keks: SymmetricKey | KeyRing,
  wrapped: Uint8Array,
  context: string,
): SymmetricKey {
  assertContext(context);
  const ids = readWrappedKeyIds(wrapped);
  const kek = resolveKey(keks, ids.kekId, 'Wrapped data key');
  const view = asBuffer(wrapped);
  const header = view.subarray(0, HEADER_BYTES);
  const bytes = gcmDecrypt(
    deriveSubkey(kek, 'data-key-wrap').bytes,
    header.subarray(1 + 2 * KEY_ID_BYTES),
    view.subarray(HEADER_BYTES),
    wrappedKeyAssociatedData(header, context),
    'Wrapped data key',
  );
  const dataKey = createKey(bytes);
  bytes.fill(0);
  // Already bound by the associated data; checked again because it costs nothing.
  if (dataKey.id !== ids.dataKeyId) {
    throw new CryptoError('DECRYPTION_FAILED', 'Wrapped data key does not match its recorded id');
  }
  return dataKey;
}

/** Master-key rotation: unwrap under any old KEK, wrap under the new one. Data is untouched. */
export function rewrapKey(
  oldKeks: SymmetricKey | KeyRing,
  newKek: SymmetricKey,
  wrapped: Uint8Array,
  context: string,
): Uint8Array {
  return wrapKey(newKek, unwrapKey(oldKeks, wrapped, context), context);
}

export function readWrappedKeyIds(wrapped: Uint8Array): { kekId: string; dataKeyId: string } {
  if (!(wrapped instanceof Uint8Array)) {
    throw new CryptoError('INVALID_FORMAT', 'A wrapped data key must be a Uint8Array');
  }
  if (wrapped.length === 0) throw new CryptoError('TRUNCATED', 'Wrapped data key is empty');
  if (wrapped[0] !== WRAPPED_KEY_VERSION) {
    throw new CryptoError(
      'UNSUPPORTED_VERSION',
      `Wrapped data key has version byte 0x${(wrapped[0] ?? 0).toString(16).padStart(2, '0')}; this library reads version 0x01`,
    );
  }
  if (wrapped.length < WRAPPED_KEY_BYTES) {
    throw new CryptoError(
      'TRUNCATED',
      `Wrapped data key is ${wrapped.length} bytes; version 1 is exactly ${WRAPPED_KEY_BYTES}`,
    );
  }
  if (wrapped.length > WRAPPED_KEY_BYTES) {
    throw new CryptoError(
      'INVALID_FORMAT',
      `Wrapped data key is ${wrapped.length} bytes; version 1 is exactly ${WRAPPED_KEY_BYTES}`,
    );
  }
  return {
    kekId: toHex(wrapped.subarray(1, 1 + KEY_ID_BYTES)),
    dataKeyId: toHex(wrapped.subarray(1 + KEY_ID_BYTES, 1 + 2 * KEY_ID_BYTES)),
  };
}

function wrappedKeyAssociatedData(header: Uint8Array, context: string): Uint8Array[] {
  return [header, AAD_LABEL, utf8(context)];
}

function assertContext(context: string): void {
  if (typeof context !== 'string' || context.length === 0) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      'A wrapping context is required (e.g. the database id) so a wrapped key cannot be moved',
    );
  }
}
