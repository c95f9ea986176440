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

/**
 * Returns `prefix` ‖ ciphertext ‖ tag (the prefix saves the caller a second copy). The
 * plaintext may come as consecutive pieces, encrypted as if concatenated.
 */
export function gcmEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array | readonly Uint8Array[],
  associatedData: AssociatedData,
  prefix?: Uint8Array,
): Buffer {
  const cipher = createCipheriv('aes-256-gcm', asBuffer(key), asBuffer(nonce), {
    authTagLength: GCM_TAG_BYTES,
  });
  for (const part of associatedData) cipher.setAAD(asBuffer(part));
  const parts: Buffer[] = prefix === undefined ? [] : [asBuffer(prefix)];
  for (const piece of plaintext instanceof Uint8Array ? [plaintext] : plaintext) {
    parts.push(cipher.update(asBuffer(piece)));
  }
  parts.push(cipher.final(), cipher.getAuthTag());
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
  const parts = gcmDecryptParts(key, nonce, [asBuffer(ciphertextAndTag)], associatedData, what);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/**
 * gcmDecrypt over ciphertext ‖ tag given as consecutive pieces (as they arrived from a stream),
 * returning the plaintext as pieces too: a chunk that straddles two reads is never copied.
 */
export function gcmDecryptParts(
  key: Uint8Array,
  nonce: Uint8Array,
  pieces: readonly Buffer[],
  associatedData: AssociatedData,
  what: string,
): Buffer[] {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  if (total < GCM_TAG_BYTES) {
    throw new CryptoError('TRUNCATED', `${what} is shorter than its 16-byte authentication tag`);
  }
  const decipher = createDecipheriv('aes-256-gcm', asBuffer(key), asBuffer(nonce), {
    authTagLength: GCM_TAG_BYTES,
  });
  for (const part of associatedData) decipher.setAAD(asBuffer(part));
  const ciphertextLength = total - GCM_TAG_BYTES;
  const output: Buffer[] = [];
  const tag: Buffer[] = [];
  let offset = 0;
  for (const piece of pieces) {
    const inCiphertext = Math.max(0, Math.min(piece.length, ciphertextLength - offset));
    if (inCiphertext > 0) output.push(decipher.update(piece.subarray(0, inCiphertext)));
    if (inCiphertext < piece.length) tag.push(piece.subarray(inCiphertext));
    offset += piece.length;
  }
  decipher.setAuthTag(tag.length === 1 ? (tag[0] as Buffer) : Buffer.concat(tag));
  try {
    const tail = decipher.final();
    if (tail.length > 0) output.push(tail);
    return output;
  } catch (cause) {
    for (const piece of output) piece.fill(0);
    throw new CryptoError(
      'DECRYPTION_FAILED',
      `${what} failed authentication: wrong key, wrong associated data, or the bytes were altered`,
      { cause },
    );
  }
}
