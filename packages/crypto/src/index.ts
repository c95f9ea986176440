// Everything exported here is public API of @cairn/crypto.

export { open, readSealedKeyId, SEALED_OVERHEAD, seal } from './aead.js';
export {
  API_KEY_LENGTH,
  API_KEY_PREFIX,
  constantTimeEqual,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from './api-key.js';
export {
  generateDataKey,
  readWrappedKeyIds,
  rewrapKey,
  unwrapKey,
  WRAPPED_KEY_BYTES,
  wrapKey,
} from './envelope.js';
export { CryptoError, type CryptoErrorCode, isCryptoError } from './errors.js';
export { deriveSubkey, hkdfSha256, SUBKEY_PURPOSES, type SubkeyPurpose } from './hkdf.js';
export { createKeyRing, isKeyRing, type KeyRing } from './key-ring.js';
export {
  computeKeyId,
  createKey,
  formatKey,
  generateMasterKey,
  isSymmetricKey,
  KEY_BYTES,
  parseMasterKey,
  type SymmetricKey,
} from './keys.js';
export {
  DEFAULT_PASSWORD_PARAMETERS,
  hashPassword,
  MAX_PASSWORD_BYTES,
  needsRehash,
  type PasswordHashParameters,
  parsePasswordHash,
  verifyPassword,
} from './password.js';
export { openSecret, readSecretKeyId, sealSecret } from './secret-box.js';
export {
  createDecryptStream,
  createEncryptStream,
  decryptFromBuffer,
  encryptToBuffer,
  readStreamKeyId,
  type StreamOptions,
} from './stream.js';
export {
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNK_SIZE,
  STREAM_CHUNK_OVERHEAD,
  STREAM_HEADER_BYTES,
} from './stream-format.js';
