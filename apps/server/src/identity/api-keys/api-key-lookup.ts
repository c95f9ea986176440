import { API_KEY_PREFIX, isWellFormedApiKey } from '@cairn/crypto';
import type { ApiKeyRow, ApiKeysRepository } from '@cairn/storage';
import { createExpiringCache } from '../expiring-cache.js';
import type { ApiKeyHasher } from './api-key-hasher.js';

export type ApiKeyCheck =
  | { readonly ok: true; readonly key: ApiKeyRow }
  /** `reason` is for the audit trail only; callers answer one generic 401. */
  | { readonly ok: false; readonly reason: ApiKeyRefusal; readonly keyId?: string };

export type ApiKeyRefusal =
  | 'malformed'
  | 'unknown'
  | 'revoked'
  | 'expired'
  | 'rotated-out'
  | 'owner-missing';

/** Finds the key a presented secret belongs to, with a short cache in front of the store. */
export interface ApiKeyLookup {
  check(rawKey: string): Promise<ApiKeyCheck>;
  /** Drops a key from this process's cache at once (after a revocation, rotation). */
  forget(keyId: string): void;
}

export interface ApiKeyLookupOptions {
  readonly apiKeys: ApiKeysRepository;
  readonly hasher: ApiKeyHasher;
  /**
   * How long a lookup answer is reused. Bounds how late a revocation made by another process
   * takes effect; this process forgets revoked keys at once.
   */
  readonly cacheMs?: number;
  /** last_used_at is written at most this often per key. */
  readonly touchEveryMs?: number;
  readonly maxCached?: number;
  readonly now?: () => number;
  readonly onTouchFailed?: (error: unknown) => void;
}

export function createApiKeyLookup({
  apiKeys,
  hasher,
  cacheMs = 1000,
  touchEveryMs = 60_000,
  maxCached = 10_000,
  now = Date.now,
  onTouchFailed = () => {},
}: ApiKeyLookupOptions): ApiKeyLookup {
  const cache = createExpiringCache<string, Promise<ApiKeyRow | undefined>>({
    ttlMs: cacheMs,
    maxEntries: maxCached,
    now,
  });
  const hashById = new Map<string, string>();
  const touchedAt = new Map<string, number>();

  const touch = (keyId: string, at: number) => {
    const last = touchedAt.get(keyId);
    if (last !== undefined && at - last < touchEveryMs) return;
    touchedAt.set(keyId, at);
    if (touchedAt.size > maxCached) touchedAt.delete(touchedAt.keys().next().value as string);
    apiKeys.touchLastUsed(keyId, new Date(at)).catch(onTouchFailed);
  };

  return {
    async check(rawKey) {
      // The checksum throws out typos and made-up keys before any lookup.
      if (!rawKey.startsWith(API_KEY_PREFIX) || !isWellFormedApiKey(rawKey)) {
        return { ok: false, reason: 'malformed' };
      }
      const hash = hasher.hash(rawKey);
      let pending = cache.get(hash);
      if (pending === undefined) {
        pending = apiKeys.findByHash(hash, new Date(now()));
        cache.set(hash, pending);
        // A failed lookup (store outage) must not be remembered.
        pending.catch(() => cache.delete(hash));
      }
      const row = await pending;
      if (row === undefined) return { ok: false, reason: 'unknown' };
      hashById.set(row.id, hash);
      if (hashById.size > maxCached) hashById.delete(hashById.keys().next().value as string);
      const at = now();
      const refusal = refusalOf(row, hash, at);
      if (refusal !== undefined) return { ok: false, reason: refusal, keyId: row.id };
      touch(row.id, at);
      return { ok: true, key: row };
    },
    forget(keyId) {
      const hash = hashById.get(keyId);
      if (hash !== undefined) cache.delete(hash);
      hashById.delete(keyId);
    },
  };
}

/** Why a found key must not authenticate at `at`, if it must not. */
function refusalOf(row: ApiKeyRow, presentedHash: string, at: number): ApiKeyRefusal | undefined {
  if (row.revokedAt !== null) return 'revoked';
  if (row.expiresAt !== null && row.expiresAt.getTime() <= at) return 'expired';
  if (row.keyHash !== presentedHash) {
    // Matched the previous secret of a rotated key: only while the grace lasts.
    const until = row.previousValidUntil;
    if (until === null || until.getTime() <= at) return 'rotated-out';
  }
  if (row.ownerUserId === null) return 'owner-missing';
  return undefined;
}
