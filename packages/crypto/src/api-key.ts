import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { asBuffer, BASE62_ALPHABET, crc32, uint32ToBase62, utf8 } from './encoding.js';
import { assertKey, type SymmetricKey } from './keys.js';

/*
 * API key: "cairn_" ‖ 43 base62 chars of randomness ‖ 6 base62 chars of CRC-32(body).
 * 43 uniform base62 chars carry 43·log2(62) ≈ 256.03 bits. The checksum lets a secret scanner
 * or the server throw out a mistyped or made-up key without a database lookup; it is not a MAC
 * and proves nothing about authenticity.
 */
export const API_KEY_PREFIX = 'cairn_';
export const API_KEY_BODY_LENGTH = 43;
export const API_KEY_CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + API_KEY_BODY_LENGTH + API_KEY_CHECKSUM_LENGTH;
const API_KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}[0-9A-Za-z]{${API_KEY_BODY_LENGTH + API_KEY_CHECKSUM_LENGTH}}$`,
);
/* 248 = 4·62: bytes at or above it are rejected so every character is exactly uniform. */
const UNBIASED_LIMIT = 248;

export function generateApiKey(): string {
  let body = '';
  while (body.length < API_KEY_BODY_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte < UNBIASED_LIMIT && body.length < API_KEY_BODY_LENGTH) {
        body += BASE62_ALPHABET.charAt(byte % 62);
      }
    }
  }
  return `${API_KEY_PREFIX}${body}${apiKeyChecksum(body)}`;
}

export function isWellFormedApiKey(text: string): boolean {
  if (typeof text !== 'string' || !API_KEY_PATTERN.test(text)) return false;
  const body = text.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + API_KEY_BODY_LENGTH);
  return text.slice(API_KEY_PREFIX.length + API_KEY_BODY_LENGTH) === apiKeyChecksum(body);
}

function apiKeyChecksum(body: string): string {
  return uint32ToBase62(crc32(utf8(body)), API_KEY_CHECKSUM_LENGTH);
}

/**
 * HMAC-SHA-256 under a server-side pepper (use deriveSubkey(master, 'api-key-pepper')), hex.
 * A fast keyed hash is enough: the key has 256 bits of entropy, so there is nothing to
 * brute-force, and determinism lets the server find a key by its hash in one indexed lookup.
 * The pepper means a leaked table of hashes cannot even be checked against a guessed key.
 */
export function hashApiKey(apiKey: string, pepper: SymmetricKey): string {
  assertKey(pepper, 'API-key pepper');
  return createHmac('sha256', asBuffer(pepper.bytes)).update(apiKey, 'utf8').digest('hex');
}

/* Per-process key: compared digests are unpredictable, so lengths and prefixes leak nothing. */
const COMPARE_KEY = randomBytes(32);

/**
 * Constant-time equality of two strings (UTF-8) or byte arrays. Both sides are first reduced to
 * HMAC-SHA-256 digests, so the comparison always covers 32 bytes and does not end early on a
 * length difference.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(compareDigest(a), compareDigest(b));
}

function compareDigest(value: string | Uint8Array): Buffer {
  const mac = createHmac('sha256', COMPARE_KEY);
  if (typeof value === 'string') mac.update(value, 'utf8');
  else mac.update(asBuffer(value));
  return mac.digest();
}
