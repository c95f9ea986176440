import { describe, expect, test } from 'vitest';
import { createLockout } from '../src/auth/lockout.js';

describe('lockout', () => {
  test('locks after more than the limit within a minute, for the lockout time', () => {
    let now = 0;
    const lockout = createLockout({ limit: 3, lockoutSeconds: 60, now: () => now });
    for (let i = 0; i < 3; i++) lockout.recordFailure('10.0.0.1');
    expect(lockout.retryAfterSeconds('10.0.0.1')).toBe(0);
    lockout.recordFailure('10.0.0.1');
    expect(lockout.retryAfterSeconds('10.0.0.1')).toBe(60);
    expect(lockout.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 59_500;
    expect(lockout.retryAfterSeconds('10.0.0.1')).toBe(1);
    now += 500;
    expect(lockout.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  test('failures older than the window do not count', () => {
    let now = 0;
    const lockout = createLockout({ limit: 2, lockoutSeconds: 10, now: () => now });
    lockout.recordFailure('a');
    lockout.recordFailure('a');
    now += 61_000;
    lockout.recordFailure('a');
    expect(lockout.retryAfterSeconds('a')).toBe(0);
  });

  test('memory stays bounded under a flood of addresses', () => {
    const lockout = createLockout({ limit: 0, lockoutSeconds: 10, maxTracked: 100 });
    for (let i = 0; i < 1_000; i++) lockout.recordFailure(`addr-${i}`);
    expect(lockout.retryAfterSeconds('addr-999')).toBe(10);
    expect(lockout.retryAfterSeconds('addr-0')).toBe(0);
  });
});
