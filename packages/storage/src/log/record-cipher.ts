import { CryptoError, type KeyRing, open, type SymmetricKey, seal } from '@cairn/crypto';
import { LogError } from './errors.js';
import { recordAssociatedData, unpackOperations } from './format.js';
import type { ScannedFrame } from './segment-scan.js';

/** How records are sealed. Production always uses `aeadRecordCipher`. */
export interface RecordCipher {
  seal(key: SymmetricKey, payload: Uint8Array, associatedData: Uint8Array): Uint8Array;
  open(keys: KeyRing, sealed: Uint8Array, associatedData: Uint8Array): Uint8Array;
}

export const aeadRecordCipher: RecordCipher = {
  seal: (key, payload, associatedData) => seal(key, payload, associatedData),
  open: (keys, sealed, associatedData) => open(keys, sealed, associatedData),
};

export function openRecord(
  cipher: RecordCipher,
  keys: KeyRing,
  sealed: Uint8Array,
  associatedData: Uint8Array,
  where: { readonly file: string; readonly offset: number },
): Uint8Array {
  try {
    return cipher.open(keys, sealed, associatedData);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    if (error.code === 'UNKNOWN_KEY_ID') {
      throw new LogError(
        'LOG_UNKNOWN_DATA_KEY',
        'Record is sealed with a data key that is not in the key file (a key file from another database or an older backup?)',
        { ...where, cause: error },
      );
    }
    if (error.code === 'DECRYPTION_FAILED') {
      throw new LogError(
        'LOG_DECRYPTION_FAILED',
        'Record fails authentication: it was altered, moved from another file or position, or sealed with another key',
        { ...where, cause: error },
      );
    }
    throw new LogError('LOG_CORRUPT', `Record is not a sealed message (${error.code})`, {
      ...where,
      cause: error,
    });
  }
}

/** Authenticates and decrypts a scanned record and returns its operations, in order. */
export function openRecordOperations(
  cipher: RecordCipher,
  keys: KeyRing,
  databaseIdHash: Uint8Array,
  frame: ScannedFrame,
): Uint8Array[] {
  const where = { file: frame.file, offset: frame.offset };
  const associatedData = recordAssociatedData(
    databaseIdHash,
    frame.segment,
    frame.sequence,
    frame.count,
  );
  const plaintext = openRecord(cipher, keys, frame.sealed, associatedData, where);
  const operations = unpackOperations(plaintext, frame.count);
  if (operations === undefined) {
    throw new LogError(
      'LOG_CORRUPT',
      `Record authenticates but does not hold the ${frame.count} operations its head declares`,
      where,
    );
  }
  return operations;
}
