import { setTimeout as sleep } from 'node:timers/promises';
import { isCairnClientError } from './errors.js';

// Statuses a proxy or a draining server answers while another attempt may succeed.
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

// Certificate failures will not heal on retry; connection resets and refusals may.
const PERMANENT_NETWORK_CAUSES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME/;

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

export function isRetryableFailure(error: unknown): boolean {
  if (!isCairnClientError(error)) return false;
  if (error.code === 'TIMEOUT') return true;
  if (error.code !== 'NETWORK') return false;
  return !PERMANENT_NETWORK_CAUSES.test(error.message);
}

/** Exponential backoff with full jitter, so many clients do not retry in step. */
export function delayBeforeRetry(
  attempt: number,
  baseMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return sleep(Math.random() * ceiling, undefined, signal === undefined ? {} : { signal });
}
