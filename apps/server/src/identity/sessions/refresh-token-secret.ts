import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: 43 characters. */
const REFRESH_TOKEN_BYTES = 32;
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

export function isWellFormedRefreshToken(token: unknown): token is string {
  return typeof token === 'string' && REFRESH_TOKEN_PATTERN.test(token);
}

/**
 * SHA-256 is enough here (unlike for passwords): the token is 256 random bits, so there is
 * nothing to guess from its hash, and a fast hash keeps refresh cheap.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
