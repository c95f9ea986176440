import type { RefreshTokensRepository } from '@cairn/storage';

/** Expired rows are kept this long (a replay soon after expiry still finds its row). */
const KEEP_EXPIRED_MS = 24 * 3600_000;

export interface RefreshTokenSweepOptions {
  readonly refreshTokens: Pick<RefreshTokensRepository, 'deleteExpired'>;
  readonly everyMs?: number;
  readonly now: () => number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Deletes long-expired refresh tokens now and then, piggybacking on logins: every login adds
 * a row, so without this the table only grows. At most one sweep per `everyMs` per process,
 * in the background; a failed sweep is reported and retried at the next interval.
 */
export function createRefreshTokenSweep({
  refreshTokens,
  everyMs = 3600_000,
  now,
  onError = () => {},
}: RefreshTokenSweepOptions): { maybeSweep(): Promise<number> | undefined } {
  let lastSweep = Number.NEGATIVE_INFINITY;
  return {
    maybeSweep() {
      const at = now();
      if (at - lastSweep < everyMs) return undefined;
      lastSweep = at;
      return refreshTokens.deleteExpired(new Date(at - KEEP_EXPIRED_MS)).catch((error: unknown) => {
        onError(error);
        return 0;
      });
    },
  };
}
