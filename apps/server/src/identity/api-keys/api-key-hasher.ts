import { randomBytes } from 'node:crypto';
import { createKey, hashApiKey, type SymmetricKey } from '@cairn/crypto';
import type { SecretsRepository } from '@cairn/storage';

/**
 * Hashes API keys with HMAC-SHA-256 under a server-held pepper, so a copy of the api_keys
 * table alone lets nobody test guesses offline.
 */
export interface ApiKeyHasher {
  /** The hash a key is stored and looked up under. */
  hash(rawKey: string): string;
}

const PEPPER_SCOPE = 'identity';
const PEPPER_NAME = 'api-key-pepper';

/**
 * The pepper is random and kept sealed in the SQL store's secrets (created once, race-safe
 * across servers) rather than derived from the master key: `cairn rotate-master-key` re-seals
 * it like every secret, so rotating the master key never invalidates an API key.
 */
export async function loadApiKeyPepper(secrets: SecretsRepository): Promise<SymmetricKey> {
  const stored = await secrets.putIfAbsent(
    PEPPER_SCOPE,
    PEPPER_NAME,
    randomBytes(32).toString('base64'),
  );
  return createKey(new Uint8Array(Buffer.from(stored, 'base64')));
}

export function createApiKeyHasher(pepper: SymmetricKey): ApiKeyHasher {
  return { hash: (rawKey) => hashApiKey(rawKey, pepper) };
}
