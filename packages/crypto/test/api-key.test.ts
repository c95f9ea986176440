import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, uint32ToBase62 } from '../src/encoding.js';
import {
  API_KEY_LENGTH,
  API_KEY_PREFIX,
  constantTimeEqual,
  deriveSubkey,
  generateApiKey,
  generateMasterKey,
  hashApiKey,
  isWellFormedApiKey,
} from '../src/index.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('API keys', () => {
  it('look like cairn_ + 43 body chars + 6 checksum chars, all base62', () => {
    const apiKey = generateApiKey();
    expect(API_KEY_PREFIX).toBe('cairn_');
    expect(apiKey).toMatch(/^cairn_[0-9A-Za-z]{49}$/);
    expect(apiKey.length).toBe(API_KEY_LENGTH);
    // 43 uniform base62 characters carry at least 256 bits.
    expect(43 * Math.log2(62)).toBeGreaterThanOrEqual(256);
    expect(isWellFormedApiKey(apiKey)).toBe(true);
  });

  it('are unique and use the whole alphabet', () => {
    const keys = Array.from({ length: 300 }, generateApiKey);
    expect(new Set(keys).size).toBe(keys.length);
    const seen = new Set(keys.flatMap((apiKey) => [...apiKey.slice(6, 49)]));
    expect(seen.size).toBe(62);
  });

  it('reject every single-character typo without a lookup', () => {
    const apiKey = generateApiKey();
    for (let i = API_KEY_PREFIX.length; i < apiKey.length; i++) {
      for (const replacement of BASE62) {
        if (apiKey[i] === replacement) continue;
        expect(isWellFormedApiKey(apiKey.slice(0, i) + replacement + apiKey.slice(i + 1))).toBe(
          false,
        );
      }
    }
  });

  it('reject adjacent transpositions, wrong prefix, length and alphabet', () => {
    const apiKey = generateApiKey();
    for (let i = API_KEY_PREFIX.length; i < apiKey.length - 1; i++) {
      if (apiKey[i] === apiKey[i + 1]) continue;
      const swapped = apiKey.slice(0, i) + apiKey[i + 1] + apiKey[i] + apiKey.slice(i + 2);
      expect(isWellFormedApiKey(swapped)).toBe(false);
    }
    expect(isWellFormedApiKey(apiKey.replace('cairn_', 'cairm_'))).toBe(false);
    expect(isWellFormedApiKey(apiKey.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${apiKey}0`)).toBe(false);
    expect(isWellFormedApiKey(`${apiKey.slice(0, 10)}-${apiKey.slice(11)}`)).toBe(false);
    expect(isWellFormedApiKey(` ${apiKey}`)).toBe(false);
    expect(isWellFormedApiKey('')).toBe(false);
    expect(isWellFormedApiKey(42 as unknown as string)).toBe(false);
  });

  it('checksum is CRC-32 of the body in 6 base62 chars (documented, so scanners can reimplement it)', () => {
    const apiKey = generateApiKey();
    const body = apiKey.slice(6, 49);
    expect(apiKey.slice(49)).toBe(uint32ToBase62(crc32(Buffer.from(body)), 6));
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(uint32ToBase62(0xffffffff, 6)).toBe('4gfFC3');
  });
});

describe('hashApiKey', () => {
  const pepper = deriveSubkey(generateMasterKey(), 'api-key-pepper');

  it('is deterministic hex HMAC-SHA-256 and depends on the pepper', () => {
    const apiKey = generateApiKey();
    const hash = hashApiKey(apiKey, pepper);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(apiKey, pepper)).toBe(hash);
    expect(hashApiKey(apiKey, deriveSubkey(generateMasterKey(), 'api-key-pepper'))).not.toBe(hash);
    expect(hashApiKey(generateApiKey(), pepper)).not.toBe(hash);
    expect(hash).not.toContain(apiKey.slice(6, 20));
  });
});

describe('constantTimeEqual', () => {
  it('agrees with ordinary equality on strings and bytes of any length', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
        expect(constantTimeEqual(Buffer.from(a), Buffer.from(b))).toBe(a === b);
      }),
    );
    expect(constantTimeEqual('abc', Buffer.from('abc'))).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('a', 'a\0')).toBe(false);
  });
});
