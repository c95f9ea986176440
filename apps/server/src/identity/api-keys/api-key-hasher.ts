import { deriveSubkey, hashApiKey, type KeyRing } from '@cairn/crypto';

/**
 * Hashes API keys under the pepper derived from the master key. New keys are stored under the
 * primary key's pepper; during a master-key rotation the previous keys' peppers still find
 * keys stored before it (each costs one extra lookup, only when the primary finds nothing).
 */
export interface ApiKeyHasher {
  /** The hash a new (or rotated) key is stored under. */
  hash(rawKey: string): string;
  /** Hashes under the older master keys, newest first; empty without a rotation. */
  previousHashes(rawKey: string): string[];
}

export function createApiKeyHasher(masterKeys: KeyRing): ApiKeyHasher {
  const primary = deriveSubkey(masterKeys.primary, 'api-key-pepper');
  const older = masterKeys.keys
    .filter((key) => key.id !== masterKeys.primary.id)
    .map((key) => deriveSubkey(key, 'api-key-pepper'));
  return {
    hash: (rawKey) => hashApiKey(rawKey, primary),
    previousHashes: (rawKey) => older.map((pepper) => hashApiKey(rawKey, pepper)),
  };
}
