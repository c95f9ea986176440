import { createCipheriv, createDecipheriv } from 'node:crypto';
import { asBuffer } from './encoding.js';
import { CryptoError } from './errors.js';

/*
 * The raw AES-256-GCM primitive every format in this package is built on: 32-byte key,
 * 96-bit nonce, 128-bit tag. Callers own nonce uniqueness; this file only encrypts.
 */

export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/**
 * Associated data as a list of parts, fed to GCM in order: identical to their concatenation
 * (GCM accepts AAD in several updates), without copying them into one buffer first.
 */
export type AssociatedData = readonly Uint8Array[];

/** Returns `prefix` ‖ ciphertext ‖ tag (the prefix saves the caller a second copy). */
export function gcmEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: AssociatedData,
  prefix?: Uint8Array,
): Buffer {
  const cipher = createCipheriv('aes-256-gcm', asBuffer(key), asBuffer(nonce), {
    authTagLength: GCM_TAG_BYTES,
  });
  for (const part of associatedData) cipher.setAAD(asBuffer(part));
  const head = cipher.update(asBuffer(plaintext));
  const tail = cipher.final();
  const parts: Buffer[] = [head, tail, cipher.getAuthTag()];
  if (prefix !== undefined) parts.unshift(asBuffer(prefix));
  return Buffer.concat(parts);
}

/**
 * Opens ciphertext ‖ tag. Plaintext is only returned after the tag verified, so no caller can
 * see unauthenticated bytes. Every authentication failure is DECRYPTION_FAILED.
 */
export function gcmDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertextAndTag: Uint8Array,
  associatedData: AssociatedData,
  what: string,
): Buffer {
  if (ciphertextAndTag.length < GCM_TAG_BYTES) {
    throw new CryptoError('TRUNCATED', `${what} is shorter than its 16-byte authentication tag`);
  }
  const split = ciphertextAndTag.length - GCM_TAG_BYTES;
  const data = asBuffer(ciphertextAndTag);
  const decipher = createDecipheriv('aes-256-gcm', asBuffer(key), asBuffer(nonce), {
    authTagLength: GCM_TAG_BYTES,
  });
  for (const part of associatedData) decipher.setAAD(asBuffer(part));
  decipher.setAuthTag(data.subarray(split));
  const head = decipher.update(data.subarray(0, split));
  try {
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch (cause) {
    head.fill(0);
    throw new CryptoError(
      'DECRYPTION_FAILED',
      `${what} failed authentication: wrong key, wrong associated data, or the bytes were altered`,
      { cause },
    );
  }
}
