import { Transform, type TransformCallback } from 'node:stream';
import type { KeyRing } from './key-ring.js';
import type { SymmetricKey } from './keys.js';
import { StreamDecryptor, StreamEncryptor } from './stream-codec.js';
import { DEFAULT_CHUNK_SIZE } from './stream-format.js';

export { readStreamKeyId } from './stream-format.js';

export interface StreamOptions {
  /** Plaintext bytes per chunk, default 65536, at most 16 MiB. */
  chunkSize?: number;
  /** Bound to every chunk; the decrypting side must pass the same bytes. */
  associatedData?: Uint8Array;
}

export function createEncryptStream(key: SymmetricKey, options: StreamOptions = {}): Transform {
  const encryptor = new StreamEncryptor(
    key,
    options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    options.associatedData,
  );
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      pushAll(this, () => encryptor.push(chunk), callback);
    },
    flush(callback: TransformCallback) {
      pushAll(this, () => encryptor.end(), callback);
    },
  });
}

/**
 * Emits each chunk's plaintext only after that chunk authenticated; fails with a CryptoError
 * (TRUNCATED, DECRYPTION_FAILED, INVALID_FORMAT, UNKNOWN_KEY_ID, UNSUPPORTED_VERSION).
 * Consumers must still treat the output as incomplete until the stream ends without error.
 */
export function createDecryptStream(
  keys: SymmetricKey | KeyRing,
  options: { associatedData?: Uint8Array } = {},
): Transform {
  const decryptor = new StreamDecryptor(keys, options.associatedData);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      pushAll(this, () => decryptor.push(chunk), callback);
    },
    flush(callback: TransformCallback) {
      pushAll(this, () => decryptor.end(), callback);
    },
  });
}

export function encryptToBuffer(
  key: SymmetricKey,
  data: Uint8Array,
  options: StreamOptions = {},
): Uint8Array {
  const encryptor = new StreamEncryptor(
    key,
    options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    options.associatedData,
  );
  return Buffer.concat([...encryptor.push(data), ...encryptor.end()]);
}

export function decryptFromBuffer(
  keys: SymmetricKey | KeyRing,
  data: Uint8Array,
  options: { associatedData?: Uint8Array } = {},
): Uint8Array {
  const decryptor = new StreamDecryptor(keys, options.associatedData);
  const parts = decryptor.push(data);
  parts.push(...decryptor.end());
  return Buffer.concat(parts);
}

function pushAll(stream: Transform, produce: () => Buffer[], callback: TransformCallback): void {
  let parts: Buffer[];
  try {
    parts = produce();
  } catch (error) {
    callback(error as Error);
    return;
  }
  for (const part of parts) if (part.length > 0) stream.push(part);
  callback();
}
