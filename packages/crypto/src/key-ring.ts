import { CryptoError } from './errors.js';
import { isSymmetricKey, type SymmetricKey } from './keys.js';

/** The keys a reader accepts: the primary (used for new data) and older ones during rotation. */
export interface KeyRing {
  readonly primary: SymmetricKey;
  readonly keys: readonly SymmetricKey[];
  get(id: string): SymmetricKey | undefined;
}

export function createKeyRing(
  primary: SymmetricKey,
  previous: readonly SymmetricKey[] = [],
): KeyRing {
  const byId = new Map<string, SymmetricKey>();
  for (const key of [primary, ...previous]) {
    if (!isSymmetricKey(key)) {
      throw new CryptoError(
        'INVALID_KEY',
        'A key ring holds only keys made by createKey/parseMasterKey',
      );
    }
    if (!byId.has(key.id)) byId.set(key.id, key);
  }
  const keys = Object.freeze([...byId.values()]);
  return Object.freeze({ primary, keys, get: (id: string) => byId.get(id) });
}

export function isKeyRing(value: SymmetricKey | KeyRing): value is KeyRing {
  return typeof (value as Partial<KeyRing>).get === 'function';
}

/**
 * Finds the key a message names. A single key is a ring of one: a different id means the data
 * was sealed under another key, reported as UNKNOWN_KEY_ID (the id is derived from the key,
 * so the mismatch is certain without trying to decrypt).
 */
export function resolveKey(keys: SymmetricKey | KeyRing, id: string, what: string): SymmetricKey {
  const found = isKeyRing(keys) ? keys.get(id) : keys.id === id ? keys : undefined;
  if (found !== undefined) return found;
  const known = isKeyRing(keys) ? keys.keys.map((key) => key.id).join(', ') : keys.id;
  throw new CryptoError(
    'UNKNOWN_KEY_ID',
    `${what} is sealed under key id ${id}, which is not among the keys given (${known}); ` +
      'supply that key (e.g. as a previous key during rotation)',
  );
}
