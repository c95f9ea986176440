/**
 * Per-account login backoff: after `freeFailures` wrong passwords for one username, each
 * further failure makes that username wait, doubling from one second up to `maxDelayMs`.
 *
 * It complements the per-address lockout: an attacker spreading guesses over many addresses
 * still gets only a few guesses a minute per account, while the cap keeps the damage they can
 * do to the real user small (a minute's wait, never a lock-out the owner cannot end by waiting).
 * Keyed by the lowercased username whether or not it exists, so it reveals nothing. In memory,
 * per process, bounded: the oldest entries are dropped first.
 */
export interface AccountBackoff {
  /** Milliseconds before this username may try again; 0 when it may try now. */
  retryAfterMs(username: string): number;
  recordFailure(username: string): void;
  recordSuccess(username: string): void;
}

export interface AccountBackoffOptions {
  readonly freeFailures?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Failures older than this are forgotten. */
  readonly forgetAfterMs?: number;
  readonly maxTracked?: number;
  readonly now?: () => number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export function createAccountBackoff({
  freeFailures = 5,
  baseDelayMs = 1_000,
  maxDelayMs = 60_000,
  forgetAfterMs = 15 * 60_000,
  maxTracked = 10_000,
  now = Date.now,
}: AccountBackoffOptions = {}): AccountBackoff {
  const entries = new Map<string, Entry>();
  const keyOf = (username: string) => username.toLowerCase();

  const current = (key: string, at: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry !== undefined && at - entry.lastFailureAt >= forgetAfterMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    retryAfterMs(username) {
      const at = now();
      const entry = current(keyOf(username), at);
      return entry === undefined ? 0 : Math.max(0, entry.blockedUntil - at);
    },
    recordFailure(username) {
      const key = keyOf(username);
      const at = now();
      const entry = current(key, at) ?? { failures: 0, lastFailureAt: at, blockedUntil: 0 };
      entry.failures += 1;
      entry.lastFailureAt = at;
      const excess = entry.failures - freeFailures;
      if (excess > 0) {
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(excess - 1, 30));
        entry.blockedUntil = at + delay;
      }
      entries.delete(key); // re-insert: the Map's order is the eviction order
      entries.set(key, entry);
      while (entries.size > maxTracked) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    recordSuccess(username) {
      entries.delete(keyOf(username));
    },
  };
}
