import { describe, expect, it } from 'vitest';
import { createAccountBackoff } from '../../src/identity/sessions/account-backoff.js';
import { createFakeClock } from './support/keyed-store.js';

describe('createAccountBackoff', () => {
  it('lets the first failures through, then doubles the wait from one second', () => {
    const clock = createFakeClock();
    const backoff = createAccountBackoff({ freeFailures: 3, now: clock.now });
    for (let failure = 0; failure < 3; failure += 1) {
      backoff.recordFailure('alice');
      expect(backoff.retryAfterMs('alice')).toBe(0);
    }
    const waits: number[] = [];
    for (let failure = 0; failure < 5; failure += 1) {
      backoff.recordFailure('alice');
      waits.push(backoff.retryAfterMs('alice'));
      clock.advance(backoff.retryAfterMs('alice'));
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('never makes a user wait longer than the cap', () => {
    const clock = createFakeClock();
    const backoff = createAccountBackoff({ freeFailures: 0, maxDelayMs: 60_000, now: clock.now });
    for (let failure = 0; failure < 200; failure += 1) backoff.recordFailure('bob');
    expect(backoff.retryAfterMs('bob')).toBe(60_000);
    clock.advance(60_000);
    expect(backoff.retryAfterMs('bob')).toBe(0);
  });

  it('is per username, case-insensitive, and a success clears it', () => {
    const clock = createFakeClock();
    const backoff = createAccountBackoff({ freeFailures: 1, now: clock.now });
    backoff.recordFailure('Carol');
    backoff.recordFailure('carol');
    expect(backoff.retryAfterMs('CAROL')).toBe(1_000);
    expect(backoff.retryAfterMs('dave')).toBe(0);
    backoff.recordSuccess('carol');
    expect(backoff.retryAfterMs('carol')).toBe(0);
  });

  it('forgets failures after a quiet period', () => {
    const clock = createFakeClock();
    const backoff = createAccountBackoff({
      freeFailures: 2,
      forgetAfterMs: 60_000,
      now: clock.now,
    });
    backoff.recordFailure('erin');
    backoff.recordFailure('erin');
    clock.advance(60_000);
    backoff.recordFailure('erin');
    expect(backoff.retryAfterMs('erin')).toBe(0);
  });

  it('tracks a bounded number of usernames, dropping the oldest', () => {
    const clock = createFakeClock();
    const backoff = createAccountBackoff({ freeFailures: 0, maxTracked: 3, now: clock.now });
    for (const name of ['a', 'b', 'c', 'd']) backoff.recordFailure(name);
    expect(backoff.retryAfterMs('a')).toBe(0);
    expect(backoff.retryAfterMs('d')).toBe(1_000);
  });
});
