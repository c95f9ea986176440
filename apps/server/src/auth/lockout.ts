/**
 * Lockout of credential guessing (DESIGN §4): more than `limit` failed authentications within
 * a minute from one client address lock that address out for `lockoutSeconds`. In memory, per
 * process; bounded so a flood of addresses cannot exhaust memory (oldest entries go first).
 */
export interface Lockout {
  /** Seconds until the address may try again; 0 when it is not locked. */
  retryAfterSeconds(address: string): number;
  recordFailure(address: string): void;
}

export interface LockoutOptions {
  readonly limit: number;
  readonly lockoutSeconds: number;
  readonly windowMs?: number;
  readonly maxTracked?: number;
  readonly now?: () => number;
}

export function createLockout({
  limit,
  lockoutSeconds,
  windowMs = 60_000,
  maxTracked = 10_000,
  now = Date.now,
}: LockoutOptions): Lockout {
  const failures = new Map<string, number[]>();
  const lockedUntil = new Map<string, number>();

  const bound = (map: Map<string, unknown>) => {
    while (map.size > maxTracked) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  };

  return {
    retryAfterSeconds(address) {
      const until = lockedUntil.get(address);
      if (until === undefined) return 0;
      const remaining = until - now();
      if (remaining <= 0) {
        lockedUntil.delete(address);
        return 0;
      }
      return Math.ceil(remaining / 1000);
    },
    recordFailure(address) {
      const at = now();
      const recent = (failures.get(address) ?? []).filter((t) => at - t < windowMs);
      recent.push(at);
      failures.delete(address); // re-insert: the Map's order is the eviction order
      if (recent.length > limit) {
        lockedUntil.delete(address);
        lockedUntil.set(address, at + lockoutSeconds * 1000);
        bound(lockedUntil);
        return;
      }
      failures.set(address, recent);
      bound(failures);
    },
  };
}
