import { describe, expect, it } from 'vitest';
import * as crypto from '../src/index.js';

describe('public API', () => {
  // Every export is public contract; this list makes any change visible in review.
  it('exports exactly these names', () => {
    expect(Object.keys(crypto).sort()).toEqual([
      'API_KEY_LENGTH',
      'API_KEY_PREFIX',
      'CryptoError',
      'DEFAULT_CHUNK_SIZE',
      'DEFAULT_PASSWORD_PARAMETERS',
      'KEY_BYTES',
      'MAX_CHUNK_SIZE',
      'MAX_PASSWORD_BYTES',
      'SEALED_OVERHEAD',
      'STREAM_CHUNK_OVERHEAD',
      'STREAM_HEADER_BYTES',
      'SUBKEY_PURPOSES',
      'WRAPPED_KEY_BYTES',
      'computeKeyId',
      'constantTimeEqual',
      'createDecryptStream',
      'createEncryptStream',
      'createKey',
      'createKeyRing',
      'decryptFromBuffer',
      'deriveSubkey',
      'encryptToBuffer',
      'formatKey',
      'generateApiKey',
      'generateDataKey',
      'generateMasterKey',
      'hashApiKey',
      'hashPassword',
      'hkdfSha256',
      'isCryptoError',
      'isKeyRing',
      'isSymmetricKey',
      'isWellFormedApiKey',
      'needsRehash',
      'open',
      'openSecret',
      'parseMasterKey',
      'parsePasswordHash',
      'readSealedKeyId',
      'readSecretKeyId',
      'readStreamKeyId',
      'readWrappedKeyIds',
      'rewrapKey',
      'seal',
      'sealSecret',
      'unwrapKey',
      'verifyPassword',
      'wrapKey',
    ]);
  });

  it('CryptoError carries its code and cause', () => {
    const cause = new Error('inner');
    const error = new crypto.CryptoError('TRUNCATED', 'short', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CryptoError');
    expect(error.code).toBe('TRUNCATED');
    expect(error.cause).toBe(cause);
    expect(crypto.isCryptoError(error, 'TRUNCATED')).toBe(true);
    expect(crypto.isCryptoError(error, 'INVALID_KEY')).toBe(false);
    expect(crypto.SEALED_OVERHEAD).toBe(37);
    expect(crypto.STREAM_HEADER_BYTES).toBe(36);
    expect(crypto.WRAPPED_KEY_BYTES).toBe(77);
  });
});
