import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  DEFAULT_PASSWORD_PARAMETERS,
  hashPassword,
  MAX_PASSWORD_BYTES,
  needsRehash,
  verifyPassword,
} from '../src/index.js';

/* Cheap parameters for behaviour tests; the defaults are exercised once below. */
const FAST = { memoryCost: 256, timeCost: 1, parallelism: 1 };

async function codeOf(action: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await action();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

describe('password hashing', () => {
  it('uses argon2id at the OWASP parameters by default, in PHC format', async () => {
    expect(DEFAULT_PASSWORD_PARAMETERS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same', FAST), hashPassword('same', FAST)]);
    expect(a).not.toBe(b);
  });

  it('handles non-ASCII passwords', async () => {
    const hash = await hashPassword('pässwörd 🔑', FAST);
    expect(await verifyPassword(hash, 'pässwörd 🔑')).toBe(true);
    expect(await verifyPassword(hash, 'passwort 🔑')).toBe(false);
  });

  it('refuses empty and over-long passwords before hashing', async () => {
    expect(await codeOf(() => hashPassword('', FAST))).toBe('INVALID_PASSWORD');
    expect(await codeOf(() => hashPassword('x'.repeat(MAX_PASSWORD_BYTES + 1), FAST))).toBe(
      'INVALID_PASSWORD',
    );
    expect(await codeOf(() => hashPassword('é'.repeat(MAX_PASSWORD_BYTES / 2 + 1), FAST))).toBe(
      'INVALID_PASSWORD',
    );
    const hash = await hashPassword('x'.repeat(MAX_PASSWORD_BYTES), FAST);
    expect(await verifyPassword(hash, 'x'.repeat(MAX_PASSWORD_BYTES))).toBe(true);
    expect(await verifyPassword(hash, 'x'.repeat(MAX_PASSWORD_BYTES + 1))).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('refuses out-of-range parameters', async () => {
    for (const parameters of [
      { memoryCost: 4, timeCost: 1, parallelism: 1 },
      { memoryCost: 256, timeCost: 0, parallelism: 1 },
      { memoryCost: 256, timeCost: 1, parallelism: 0 },
      { memoryCost: 256.5, timeCost: 1, parallelism: 1 },
      { memoryCost: 4_000_000, timeCost: 1, parallelism: 1 },
    ]) {
      expect(await codeOf(() => hashPassword('pw', parameters))).toBe('INVALID_ARGUMENT');
    }
  });

  it('rejects malformed hash strings with INVALID_PASSWORD_HASH', async () => {
    const good = await hashPassword('pw', FAST);
    const malformed = [
      '',
      'plaintext',
      '$2b$12$abcdefghijklmnopqrstuuJ8Zp5m3mM0fGgk1i3m8d6Lz1yk0Q2iG',
      good.replace('$v=19', ''),
      good.replace('m=256', 'm=abc'),
      good.slice(0, 20),
      `${good}$extra`,
      good.replace('m=256', 'm=99999999'),
      good.replace('$argon2id$', '$scrypt$'),
    ];
    for (const hash of malformed) {
      expect(await codeOf(() => verifyPassword(hash, 'pw'))).toBe('INVALID_PASSWORD_HASH');
      expect(() => needsRehash(hash)).toThrow(
        expect.objectContaining({ code: 'INVALID_PASSWORD_HASH' }),
      );
    }
  });

  it('asks for a rehash when any parameter is weaker or the algorithm differs', async () => {
    const weak = await hashPassword('pw', FAST);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, FAST)).toBe(false);
    expect(needsRehash(weak, { ...FAST, timeCost: 2 })).toBe(true);
    expect(needsRehash(weak, { ...FAST, parallelism: 2 })).toBe(true);
    expect(needsRehash(weak.replace('$argon2id$', '$argon2i$'), FAST)).toBe(true);
    expect(needsRehash(weak.replace('$v=19$', '$v=16$'), FAST)).toBe(true);
    const strong = await hashPassword('pw', { memoryCost: 512, timeCost: 3, parallelism: 2 });
    expect(needsRehash(strong, FAST)).toBe(false);
    expect(await verifyPassword(strong, 'pw')).toBe(true);
  });
});
