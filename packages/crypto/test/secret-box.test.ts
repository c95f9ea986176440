import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  createKeyRing,
  generateMasterKey,
  openSecret,
  readSecretKeyId,
  sealSecret,
} from '../src/index.js';

const key = generateMasterKey();

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

describe('secret box', () => {
  it('round-trips any string as a printable versioned box', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ maxLength: 40 }),
        (secret, context) => {
          const boxed = sealSecret(key, secret, context);
          expect(boxed).toMatch(/^cairn-sb1\.[0-9a-f]{16}\.[A-Za-z0-9_-]+$/);
          expect(openSecret(key, boxed, context)).toBe(secret);
        },
      ),
    );
  });

  it('names the key and opens with a ring during rotation', () => {
    const old = generateMasterKey();
    const boxed = sealSecret(old, 'postgres://user:pw@host/db', 'database:7');
    expect(readSecretKeyId(boxed)).toBe(old.id);
    expect(openSecret(createKeyRing(key, [old]), boxed, 'database:7')).toBe(
      'postgres://user:pw@host/db',
    );
    expect(codeOf(() => openSecret(key, boxed, 'database:7'))).toBe('UNKNOWN_KEY_ID');
  });

  it('binds the context and never contains the secret', () => {
    const boxed = sealSecret(key, 'hunter2hunter2', 'row:1');
    expect(boxed).not.toContain('hunter2');
    expect(codeOf(() => openSecret(key, boxed, 'row:2'))).toBe('DECRYPTION_FAILED');
  });

  it('fails with a CryptoError on every character change and truncation', () => {
    const boxed = sealSecret(key, 'token', 'row:1');
    const alphabet = 'Aa0_-.';
    for (let i = 0; i < boxed.length; i++) {
      for (const replacement of alphabet) {
        if (boxed[i] === replacement) continue;
        const edited = boxed.slice(0, i) + replacement + boxed.slice(i + 1);
        expect(codeOf(() => openSecret(key, edited, 'row:1'))).toBeDefined();
      }
    }
    for (let length = 0; length < boxed.length; length++) {
      expect(codeOf(() => openSecret(key, boxed.slice(0, length), 'row:1'))).toBeDefined();
    }
  });

  it('reports foreign strings and other versions', () => {
    expect(codeOf(() => openSecret(key, 'plain text', 'x'))).toBe('INVALID_FORMAT');
    expect(codeOf(() => openSecret(key, `cairn-sb1.${key.id}.@@@`, 'x'))).toBe('INVALID_FORMAT');
    const boxed = sealSecret(key, 's', 'x');
    expect(codeOf(() => openSecret(key, boxed.replace('cairn-sb1', 'cairn-sb2'), 'x'))).toBe(
      'UNSUPPORTED_VERSION',
    );
  });

  it('does not open with a key id swapped for another key in the ring', () => {
    const other = generateMasterKey();
    const boxed = sealSecret(key, 's', 'x');
    const swapped = boxed.replace(key.id, other.id);
    expect(codeOf(() => openSecret(createKeyRing(key, [other]), swapped, 'x'))).toBe(
      'DECRYPTION_FAILED',
    );
  });
});
