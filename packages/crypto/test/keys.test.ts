import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  createKey,
  createKeyRing,
  deriveSubkey,
  formatKey,
  generateMasterKey,
  parseMasterKey,
  SUBKEY_PURPOSES,
} from '../src/index.js';

const bytes32 = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1));

function expectInvalidKey(text: string): CryptoError {
  let caught: unknown;
  try {
    parseMasterKey(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CryptoError);
  const error = caught as CryptoError;
  expect(error.code).toBe('INVALID_KEY');
  const trimmed = text.trim();
  if (trimmed.length >= 4) expect(error.message).not.toContain(trimmed.slice(0, 12));
  expect(error.message).toMatch(/32 bytes|64 hex|base64/);
  return error;
}

describe('parseMasterKey', () => {
  it('accepts hex in either case, base64 standard and url-safe, with or without padding', () => {
    const id = createKey(bytes32).id;
    const spellings = [
      bytes32.toString('hex'),
      bytes32.toString('hex').toUpperCase(),
      bytes32.toString('base64'),
      bytes32.toString('base64').replace(/=+$/, ''),
      bytes32.toString('base64url'),
      `${bytes32.toString('base64url')}=`,
      `  \n${bytes32.toString('base64')}\t\n`,
    ];
    for (const text of spellings) expect(parseMasterKey(text).id).toBe(id);
  });

  it('round-trips every key through formatKey in both encodings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (raw) => {
        const key = createKey(raw);
        expect(parseMasterKey(formatKey(key)).id).toBe(key.id);
        expect(parseMasterKey(formatKey(key, 'hex')).id).toBe(key.id);
        expect(Buffer.from(parseMasterKey(formatKey(key)).bytes).equals(Buffer.from(raw))).toBe(
          true,
        );
      }),
    );
  });

  it('rejects malformed keys with INVALID_KEY and never echoes the key text', () => {
    const hex = bytes32.toString('hex');
    const bad = [
      '',
      '   \n\t ',
      Buffer.alloc(31, 0xab).toString('base64'),
      Buffer.alloc(33, 0xab).toString('base64'),
      Buffer.alloc(31, 0xab).toString('base64url'),
      hex.slice(0, 63),
      `${hex}a`,
      `${hex.slice(0, 62)}zz`,
      `${bytes32.toString('base64').slice(0, 20)} ${bytes32.toString('base64').slice(20)}`,
      `"${bytes32.toString('base64')}"`,
      `${bytes32.toString('base64').slice(0, 42)}!=`,
      'x'.repeat(100_000),
      Buffer.alloc(64, 0x11).toString('base64'),
      // Non-canonical: the last char carries bits that do not fit in 32 bytes.
      `${bytes32.toString('base64').slice(0, 42)}B=`,
      `${bytes32.toString('base64')}==`,
    ];
    for (const text of bad) expectInvalidKey(text);
  });

  it('rejects a mix of standard and url-safe base64 alphabets', () => {
    const mixed = `+-${Buffer.alloc(32, 0).toString('base64').slice(2)}`;
    expectInvalidKey(mixed);
  });

  it('says how many bytes a wrong-length key decodes to', () => {
    expect(expectInvalidKey(Buffer.alloc(31, 1).toString('base64')).message).toContain('31 bytes');
    expect(expectInvalidKey(`${'ab'.repeat(31)}a`).message).toContain('looks like hex but has 63');
    expect(expectInvalidKey(`${'ab'.repeat(32)}a`).message).toContain('looks like hex but has 65');
    expect(expectInvalidKey(`0x${'ab'.repeat(32)}`).message).toContain('0x');
  });
});

describe('createKey and key ids', () => {
  it('needs exactly 32 bytes', () => {
    for (const length of [0, 16, 31, 33, 64]) {
      expect(() => createKey(new Uint8Array(length))).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });

  it('derives a stable 16-hex id that differs per key and is not the key', () => {
    const a = createKey(bytes32);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(createKey(Buffer.from(bytes32)).id).toBe(a.id);
    expect(generateMasterKey().id).not.toBe(a.id);
    expect(bytes32.toString('hex')).not.toContain(a.id);
  });

  it('copies the bytes and hides them from JSON and inspection', () => {
    const raw = Buffer.from(bytes32);
    const key = createKey(raw);
    raw.fill(0);
    expect(Buffer.from(key.bytes).equals(bytes32)).toBe(true);
    expect(JSON.stringify(key)).toBe(JSON.stringify({ id: key.id }));
    expect(inspect(key)).toBe(`SymmetricKey { id: '${key.id}' }`);
    expect(Object.keys(key)).toEqual(['id']);
  });
});

describe('deriveSubkey', () => {
  const master = createKey(bytes32);

  it('gives a distinct key for every purpose and context, and is deterministic', () => {
    const ids = new Set<string>([master.id]);
    for (const purpose of SUBKEY_PURPOSES) {
      for (const context of [undefined, '', 'db1', 'db1/x', 'db2']) {
        const key = deriveSubkey(master, purpose, context);
        expect(deriveSubkey(master, purpose, context).id).toBe(key.id);
        ids.add(key.id);
      }
    }
    expect(ids.size).toBe(1 + SUBKEY_PURPOSES.length * 5);
  });

  it('depends on the master key', () => {
    expect(deriveSubkey(master, 'audit').id).not.toBe(
      deriveSubkey(generateMasterKey(), 'audit').id,
    );
  });

  it('refuses unknown purposes and oversized contexts', () => {
    expect(() => deriveSubkey(master, 'other' as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => deriveSubkey(master, 'audit', 'x'.repeat(2000))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('createKeyRing', () => {
  it('finds the primary and previous keys by id, once each', () => {
    const primary = generateMasterKey();
    const old = generateMasterKey();
    const ring = createKeyRing(primary, [old, primary, old]);
    expect(ring.primary).toBe(primary);
    expect(ring.keys.map((key) => key.id)).toEqual([primary.id, old.id]);
    expect(ring.get(old.id)).toBe(old);
    expect(ring.get('0000000000000000')).toBeUndefined();
  });

  it('refuses things that are not keys', () => {
    expect(() => createKeyRing({ id: 'x', bytes: new Uint8Array(3) })).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });
});

describe('hand-made key objects', () => {
  it('are refused wherever a key seals or derives', async () => {
    const { seal, wrapKey, generateDataKey, sealSecret, hashApiKey, encryptToBuffer } =
      await import('../src/index.js');
    const fake = { id: 'not-hex', bytes: new Uint8Array(32) };
    const actions = [
      () => seal(fake, new Uint8Array(1)),
      () => wrapKey(fake, generateDataKey(), 'db'),
      () => wrapKey(generateMasterKey(), fake, 'db'),
      () => sealSecret(fake, 's', 'c'),
      () => hashApiKey('cairn_x', fake),
      () => encryptToBuffer(fake, new Uint8Array(1)),
      () => deriveSubkey(fake, 'audit'),
    ];
    for (const action of actions)
      expect(action).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});
