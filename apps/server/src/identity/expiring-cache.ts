export interface ExpiringCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
}

export interface ExpiringCacheOptions {
  readonly ttlMs: number;
  /** Oldest entries go first beyond this, so a flood of distinct keys cannot exhaust memory. */
  readonly maxEntries: number;
  readonly now?: () => number;
}

/**
 * A small TTL map for the credential caches. Hand-written rather than a dependency: it is a
 * Map with an insertion-ordered eviction, and the hot path must stay a single lookup.
 */
export function createExpiringCache<K, V>({
  ttlMs,
  maxEntries,
  now = Date.now,
}: ExpiringCacheOptions): ExpiringCache<K, V> {
  const entries = new Map<K, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}
